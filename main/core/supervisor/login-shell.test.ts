import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginShellEnv, parseEnvOutput } from './login-shell.js';
import { isAlive } from './process-tree.js';

/** A stand-in for the user's `$SHELL`: runs `body`, then (if `run`) the `-ilc` script as sh would. */
async function fakeShell(dir: string, name: string, body: string, run = true): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n${run ? 'exec /bin/sh -c "$2"\n' : ''}`);
  await chmod(file, 0o755);
  return file;
}

// POSIX only: Windows has no login shell to ask.
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

  for (const shell of ['/bin/sh', '/bin/bash'].filter((path) => existsSync(path))) {
    it(`reads every variable of a real ${shell} login profile, though the shell prints the marker's last piece in \`_\``, async () => {
      const home = await mkdtemp(path.join(dir, 'home-'));
      const profile = "export MCP_ORCH_EARLY='one'\nexport MCP_ORCH_LATE='two'\n";
      await writeFile(path.join(home, '.profile'), profile);
      await writeFile(path.join(home, '.bash_profile'), profile);
      // The whole environment of this process, as the app's would be: where `_` falls in it varies.
      const result = await loginShellEnv({ shell, platform: 'linux', env: { ...process.env, HOME: home } });
      expect(result.ok && result.env).toMatchObject({ MCP_ORCH_EARLY: 'one', MCP_ORCH_LATE: 'two', PATH: expect.any(String) as unknown });
      expect(result.ok && Object.values(result.env).some((value) => value.includes('__MCP_ORCH_ENV_'))).toBe(false);
    });
  }

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

  // A real bash reading a real profile in a temp HOME: the profile fails (exit 1) before the script
  // runs, but a job it left in the background still holds the shell's stdout, so 'close' never comes.
  it.skipIf(!existsSync('/bin/bash'))(
    'gives up after its timeout on a profile that exits while its background job holds the output, and kills the job',
    async () => {
      const home = path.join(dir, 'home-with-job');
      await mkdir(home, { recursive: true });
      await writeFile(path.join(home, '.bash_profile'), 'sleep 20 &\necho $! > "$HOME/job.pid"\nexit 1\n');
      const result = await loginShellEnv({
        shell: '/bin/bash',
        platform: 'linux',
        env: { HOME: home, PATH: process.env.PATH },
        timeoutMs: 1000,
      });
      expect(result).toEqual({
        ok: false,
        reason: '/bin/bash exited with code 1 before printing its environment, and a job it started kept its output open past 1000 ms',
      });
      const job = Number((await readFile(path.join(home, 'job.pid'), 'utf8')).trim());
      await vi.waitFor(() => expect(isAlive(job)).toBe(false));
    },
    10_000,
  );

  it('reports a shell that fails, one that prints something else, and one that cannot be run', async () => {
    const failing = await fakeShell(dir, 'failing-shell', 'echo "rc error" >&2\nexit 1', false);
    expect(await loginShellEnv({ shell: failing, platform: 'linux', env: { HOME: dir } })).toEqual({
      ok: false,
      reason: `${failing} exited with code 1 before printing its environment`,
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
