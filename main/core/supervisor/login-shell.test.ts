import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginShellEnv, parseEnvOutput } from './login-shell.js';

/** A stand-in for the user's `$SHELL`: runs `body`, then (if `run`) the `-ilc` script as sh would. */
async function fakeShell(dir: string, name: string, body: string, run = true): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n${run ? 'exec /bin/sh -c "$2"\n' : ''}`);
  await chmod(file, 0o755);
  return file;
}

describe.skipIf(process.platform === 'win32')('loginShellEnv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mcp-orch-login-shell-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("answers the environment the shell's profile sets up, past a banner, without the shell's own variables", async () => {
    const shell = await fakeShell(
      dir,
      'profile-shell',
      [
        'echo "Last login: today"',
        'export PATH="/opt/fake-tools/bin:/usr/bin:/bin"',
        "export GITHUB_TOKEN='from the profile'",
        'export SHLVL=3',
      ].join('\n'),
    );
    const result = await loginShellEnv({ shell, platform: 'linux', env: { HOME: dir, PATH: '/usr/bin:/bin' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.PATH).toBe('/opt/fake-tools/bin:/usr/bin:/bin');
    expect(result.env.GITHUB_TOKEN).toBe('from the profile');
    expect(result.env.HOME).toBe(dir);
    expect(result.env).not.toHaveProperty('SHLVL');
    expect(result.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
  });

  it('passes the -ilc flags and runs no Node (the packaged app cannot run itself as Node), keeping multi-line values', async () => {
    // The profile fails if asked to run the app as Node; PATH has no node; a value spans lines and holds `=`.
    const shell = await fakeShell(
      dir,
      'flag-shell',
      [
        '[ "$1" = "-ilc" ] || exit 9',
        '[ -z "$ELECTRON_RUN_AS_NODE" ] || exit 8',
        'export PATH=/usr/bin:/bin',
        "export MULTI='line one\nsecond=2'",
      ].join('\n'),
    );
    const result = await loginShellEnv({ shell, platform: 'darwin', env: { HOME: dir, MARK: 'kept' } });
    expect(result).toMatchObject({ ok: true, env: { MARK: 'kept', MULTI: 'line one\nsecond=2', PATH: '/usr/bin:/bin' } });
  });

  it("reads plain `env` output too (no `-0`): a line without '=' continues the value before it", () => {
    expect(parseEnvOutput('A=1\nB=two\nlines\nC=x=y\n')).toEqual({ A: '1', B: 'two\nlines', C: 'x=y' });
    expect(parseEnvOutput('A=1\0B=two\nlines\0')).toEqual({ A: '1', B: 'two\nlines' });
  });

  it('gives up on a shell that hangs, after its timeout', async () => {
    const shell = await fakeShell(dir, 'hanging-shell', 'exec sleep 30', false);
    const result = await loginShellEnv({ shell, platform: 'linux', env: { HOME: dir }, timeoutMs: 300 });
    expect(result).toEqual({ ok: false, reason: `${shell} did not answer within 300 ms` });
  });

  it('reports a shell that fails, one that prints something else, and one that cannot be run', async () => {
    const failing = await fakeShell(dir, 'failing-shell', 'echo "rc error" >&2\nexit 1', false);
    expect(await loginShellEnv({ shell: failing, platform: 'linux', env: { HOME: dir } })).toEqual({
      ok: false,
      reason: `${failing} exited with code 1 before printing`,
    });
    const chatty = await fakeShell(dir, 'chatty-shell', 'echo "hello"; exit 0', false);
    expect(await loginShellEnv({ shell: chatty, platform: 'linux', env: { HOME: dir } })).toMatchObject({ ok: false });
    const missing = path.join(dir, 'no-such-shell');
    expect(await loginShellEnv({ shell: missing, platform: 'linux', env: { HOME: dir } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot run') as unknown,
    });
  });

  it('does not ask on win32', async () => {
    expect(await loginShellEnv({ platform: 'win32' })).toEqual({ ok: false, reason: 'no login shell on win32' });
  });
});
