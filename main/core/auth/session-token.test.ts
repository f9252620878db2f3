import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionToken, deleteSessionToken, readSessionToken, SESSION_TOKEN_FILE, writeSessionToken } from './session-token.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orch-session-'));
  dirs.push(dir);
  return dir;
}

describe('session token', () => {
  it('writes a fresh token readable by the user only, and reads it back', () => {
    const dir = join(tempDir(), 'data');
    expect(readSessionToken(dir)).toBeUndefined();
    const token = writeSessionToken(dir);
    expect(token).toMatch(/^mos_[A-Za-z0-9_-]{43}$/);
    expect(readSessionToken(dir)).toBe(token);
    if (process.platform !== 'win32') expect(statSync(join(dir, SESSION_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SESSION_TOKEN_FILE]);
  });

  it('replaces the previous token, even one left with loose permissions', () => {
    const dir = tempDir();
    writeFileSync(join(dir, SESSION_TOKEN_FILE), 'old\n', { mode: 0o644 });
    const token = writeSessionToken(dir, createSessionToken());
    expect(readSessionToken(dir)).toBe(token);
    if (process.platform !== 'win32') expect(statSync(join(dir, SESSION_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(createSessionToken()).not.toBe(token);
  });

  it('deletes the file only while it holds our token', () => {
    const dir = tempDir();
    const ours = writeSessionToken(dir);
    const newer = writeSessionToken(dir);
    expect(deleteSessionToken(dir, ours)).toBe(false);
    expect(readSessionToken(dir)).toBe(newer);
    expect(deleteSessionToken(dir, newer)).toBe(true);
    expect(readSessionToken(dir)).toBeUndefined();
  });
});
