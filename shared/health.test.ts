import { describe, expect, it } from 'vitest';
import { overallLevel, serverHealth, type HealthInput } from './health.js';

const server = (extra: Partial<HealthInput>): HealthInput => ({ name: 'github', state: 'running', restarts: 0, ...extra });

describe('serverHealth', () => {
  it('says a running server is fine, and one that crashed before wants a look at its logs', () => {
    expect(serverHealth(server({}))).toEqual({ level: 'ok', reason: 'running' });
    expect(serverHealth(server({ restarts: 2 }))).toMatchObject({
      level: 'warn',
      reason: 'running, after 2 crashes',
      action: { kind: 'viewLogs' },
    });
  });

  it('offers to start a stopped server and to enable a disabled one', () => {
    expect(serverHealth(server({ state: 'stopped' }))).toMatchObject({ level: 'off', action: { kind: 'start' } });
    expect(serverHealth(server({ state: 'disabled' }))).toMatchObject({ level: 'off', action: { kind: 'enable' } });
  });

  it('names the variable to set when the config misses one for this server', () => {
    const configIssues = [
      { path: 'mcpServers.other.env.X', message: 'environment variable X is not set' },
      { path: 'mcpServers.github.env.GITHUB_TOKEN', message: 'environment variable GITHUB_TOKEN is not set' },
    ];
    expect(serverHealth(server({ state: 'failed', configIssues }))).toEqual({
      level: 'error',
      reason: 'mcpServers.github.env.GITHUB_TOKEN: environment variable GITHUB_TOKEN is not set',
      action: { kind: 'setVariable', label: 'Set GITHUB_TOKEN', variable: 'GITHUB_TOKEN' },
    });
    expect(serverHealth(server({ configIssues }))).toMatchObject({
      level: 'warn',
      action: { kind: 'setVariable', variable: 'GITHUB_TOKEN' },
    });
  });

  it('sends a command that cannot be found to the config, and other failures to the logs', () => {
    expect(serverHealth(server({ state: 'failed', lastError: 'command not found (PATH: /usr/bin)' }))).toMatchObject({
      level: 'error',
      action: { kind: 'fixConfig' },
    });
    expect(
      serverHealth(server({ state: 'failed', lastError: 'exited unexpectedly: code 1; gave up after repeated crashes' })),
    ).toMatchObject({
      level: 'error',
      action: { kind: 'viewLogs' },
    });
  });

  it('tells a crash in backoff with the time to the next try', () => {
    expect(serverHealth(server({ state: 'backoff', lastError: 'exited unexpectedly: code 1', retryInMs: 1500 }))).toMatchObject({
      level: 'warn',
      reason: 'exited unexpectedly: code 1; retrying in 2 s',
    });
  });
});

describe('overallLevel', () => {
  it('is the worst level, and off only when every server is off', () => {
    expect(overallLevel(['ok', 'error', 'warn'])).toBe('error');
    expect(overallLevel(['ok', 'off'])).toBe('ok');
    expect(overallLevel(['off', 'off'])).toBe('off');
    expect(overallLevel([])).toBe('off');
  });
});
