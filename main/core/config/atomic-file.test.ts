import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('creates missing folders (0700) and the file (0600); a backup of a file that did not exist is skipped', async () => {
    const path = join(dir, 'a', 'b', 'file.json');
    await writeFileAtomic(path, '{"x":1}\n', `${path}.bak`);
    expect(await readFile(path, 'utf8')).toBe('{"x":1}\n');
    expect(await mode(path)).toBe(0o600);
    expect(await mode(join(dir, 'a', 'b'))).toBe(0o700);
    await expect(stat(`${path}.bak`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps the previous text as a private backup', async () => {
    const path = join(dir, 'file.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new', `${path}.bak`);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('old');
    expect(await mode(`${path}.bak`)).toBe(0o600);
  });

  it('leaves the file and no temporary file behind when the rename fails', async () => {
    const path = join(dir, 'target');
    await writeFile(path, 'old');
    // A backup path inside a missing folder makes the step before the rename fail.
    await expect(writeFileAtomic(path, 'new', join(dir, 'missing', 'target.bak'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['target']);
  });
});
