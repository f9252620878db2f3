import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildSearchPath, loginShellPath, resolveCommand } from './command-resolver.js';

describe('buildSearchPath', () => {
  const everything = (): boolean => true;

  it('merges PATH, login PATH and existing well-known dirs in order, without duplicates', () => {
    const existing = new Set(['/opt/homebrew/bin', '/Users/ada/.volta/bin', '/Users/ada/.cargo/bin']);
    const result = buildSearchPath('/usr/bin:/bin', '/Users/ada/.volta/bin:/usr/bin:/opt/homebrew/bin/', '/Users/ada', {
      platform: 'darwin',
      exists: (dir) => existing.has(dir),
    });
    expect(result.split(':')).toEqual(['/usr/bin', '/bin', '/Users/ada/.volta/bin', '/opt/homebrew/bin/', '/Users/ada/.cargo/bin']);
  });

  it('lists every well-known directory when they all exist', () => {
    const result = buildSearchPath(undefined, undefined, '/home/ada', { platform: 'linux', exists: everything });
    expect(result.split(':')).toEqual([
      '/opt/homebrew/bin',
      '/usr/local/bin',
      '/home/ada/.local/bin',
      '/home/ada/.volta/bin',
      '/home/ada/.bun/bin',
      '/home/ada/.cargo/bin',
      '/home/ada/.deno/bin',
    ]);
  });

  it('drops empty entries and skips missing well-known dirs', () => {
    const result = buildSearchPath('::/usr/bin::', '', '/home/ada', { platform: 'linux', exists: () => false });
    expect(result).toBe('/usr/bin');
  });

  it('on win32 uses ";", adds %APPDATA%\\npm and compares case-insensitively', () => {
    const result = buildSearchPath('C:\\Windows\\System32;C:\\Program Files\\nodejs\\', undefined, 'C:\\Users\\ada', {
      platform: 'win32',
      appData: 'C:\\Users\\ada\\AppData\\Roaming',
      exists: (dir) => dir.endsWith('npm') || dir.toLowerCase().endsWith('nodejs'),
    });
    expect(result).toBe('C:\\Windows\\System32;C:\\Program Files\\nodejs\\;C:\\Users\\ada\\AppData\\Roaming\\npm');
    const deduped = buildSearchPath('C:\\Tools', 'c:\\tools\\;C:\\Other', 'C:\\Users\\ada', { platform: 'win32', exists: () => false });
    expect(deduped).toBe('C:\\Tools;C:\\Other');
  });
});

describe('resolveCommand', () => {
  const nodeDir = path.dirname(process.execPath);

  it('finds a bare command in the given search path', () => {
    expect(resolveCommand('node', `/does/not/exist:${nodeDir}`, 'linux')).toBe(path.join(nodeDir, 'node'));
  });

  it('returns undefined for an unknown command or an empty search path', () => {
    expect(resolveCommand('does-not-exist-xyz', nodeDir, 'linux')).toBeUndefined();
    expect(resolveCommand('node', '', 'linux')).toBeUndefined();
  });

  it('returns absolute and relative paths as they are', () => {
    expect(resolveCommand('/opt/tools/server', '', 'linux')).toBe('/opt/tools/server');
    expect(resolveCommand('./bin/server', '', 'linux')).toBe('./bin/server');
    expect(resolveCommand('C:\\tools\\server.exe', '', 'win32')).toBe('C:\\tools\\server.exe');
    expect(resolveCommand('bin\\server.cmd', '', 'win32')).toBe('bin\\server.cmd');
  });
});

// POSIX only: Windows has no login shell to ask for PATH (loginShellPath answers undefined there).
describe.skipIf(process.platform === 'win32')('loginShellPath', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'mcp-orch-shell-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("returns the PATH set by the user's login profile, ignoring what the profile prints", async () => {
    await writeFile(path.join(home, '.bash_profile'), 'echo "Welcome back"\nexport PATH="/opt/custom-tools/bin:$PATH"\n');
    const result = await loginShellPath({ shell: '/bin/bash', env: { HOME: home, PATH: '/usr/bin:/bin' } });
    expect(result?.split(':')[0]).toBe('/opt/custom-tools/bin');
    expect(result).not.toContain('Welcome');
  });

  it('returns undefined when the shell cannot be run', async () => {
    await expect(loginShellPath({ shell: path.join(home, 'no-such-shell'), env: { HOME: home } })).resolves.toBeUndefined();
  });

  it('returns undefined when the shell does not answer in time', async () => {
    const slowShell = path.join(home, 'slow-shell');
    await writeFile(slowShell, '#!/bin/sh\nexec sleep 30\n');
    await chmod(slowShell, 0o755);
    await expect(loginShellPath({ shell: slowShell, env: { HOME: home }, timeoutMs: 200 })).resolves.toBeUndefined();
  });

  it('returns undefined on win32', async () => {
    await expect(loginShellPath({ platform: 'win32' })).resolves.toBeUndefined();
  });
});
