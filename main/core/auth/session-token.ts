/**
 * The local session token: a random admin token made at each daemon start and written to
 * `<dataDir>/session-token`, readable by the user only (mode 0600), so the desktop window and the
 * CLI on this machine can call the daemon without a key. Anyone who can read the user's files
 * could read the database too, so the file grants nothing new.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file name inside the data folder. */
export const SESSION_TOKEN_FILE = 'session-token';

/** A fresh session token: `mos_` and 43 base64url characters (256 random bits). */
export function createSessionToken(): string {
  return `mos_${randomBytes(32).toString('base64url')}`;
}

/**
 * Writes `token` (default: a fresh one) to `<dir>/session-token` with mode 0600, replacing the
 * previous one atomically, and returns it. Creates `dir` (mode 0700) if needed.
 */
export function writeSessionToken(dir: string, token: string = createSessionToken()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${SESSION_TOKEN_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, join(dir, SESSION_TOKEN_FILE));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return token;
}

/** The session token in `<dir>/session-token`, or undefined when there is none (no daemon ran). */
export function readSessionToken(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, SESSION_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Deletes `<dir>/session-token` if it still holds `token` (a newer daemon's file is left alone). */
export function deleteSessionToken(dir: string, token: string): boolean {
  if (readSessionToken(dir) !== token) return false;
  rmSync(join(dir, SESSION_TOKEN_FILE), { force: true });
  return true;
}
