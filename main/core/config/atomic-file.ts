/** Writing a user's file so that a crash leaves either the old text or the new one, never half of it. */
import { access, chmod, copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` atomically (a synced temporary file renamed over it) with mode 0600,
 * creating missing parent folders (0700). When `backupPath` is given and the file exists, it is
 * first copied there (0600 too). On failure the temporary file is removed and `path` is untouched.
 */
export async function writeFileAtomic(path: string, text: string, backupPath?: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (backupPath !== undefined) await backUp(path, backupPath);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Copies `path` to `backupPath` (0600); nothing to do when `path` does not exist yet. */
async function backUp(path: string, backupPath: string): Promise<void> {
  try {
    await copyFile(path, backupPath);
  } catch (error) {
    // ENOENT is also what a missing backup folder gives: only a missing source means nothing to keep.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(path))) return;
    throw error;
  }
  await chmod(backupPath, 0o600);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
