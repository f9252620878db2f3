/**
 * What a terminal would give a command and a GUI launch does not: the environment of the user's
 * interactive login shell (`$SHELL -ilc …`), where rc files put Homebrew, nvm, Volta or pyenv on
 * the PATH and export tokens. Read once at start, with a timeout; on any failure the caller keeps
 * its own environment (and the well-known tool folders `buildSearchPath` adds). This is the one probe
 * of the login shell: the desktop app reads the whole environment, the supervisor its PATH
 * (`loginShellPath`).
 *
 * The shell prints its environment with `/usr/bin/env -0` (NUL-separated, so multi-line values
 * survive; plain `env` where `-0` is missing), not with a Node child: the packaged app's RunAsNode
 * fuse is off, so its own binary cannot be run as Node, and the user need not have Node.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { killGroup, killTree } from './process-tree.js';

const DEFAULT_TIMEOUT_MS = 3000;
const MAX_SHELL_OUTPUT = 1024 * 1024;

/** Variables that describe the shell that printed them, not the user's settings. */
const VOLATILE = new Set(['_', 'PWD', 'OLDPWD', 'SHLVL', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_NO_ATTACH_CONSOLE']);

export interface LoginShellEnvOptions {
  /** Shell to run; default `$SHELL`, else /bin/zsh on darwin and /bin/bash elsewhere. */
  shell?: string;
  /** Default `process.platform`; win32 has no login shell to ask. */
  platform?: NodeJS.Platform;
  /** Environment the shell starts with (its HOME decides which rc files run); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default 3000 ms. */
  timeoutMs?: number;
}

/** Why the environment could not be read, for a log line. */
export type LoginShellEnvResult = { ok: true; env: Record<string, string> } | { ok: false; reason: string };

/**
 * The environment of `$SHELL -ilc`, without the shell's own bookkeeping variables. Never rejects:
 * a shell that cannot run, fails, prints no environment or takes longer than `timeoutMs` answers
 * `{ ok: false, reason }`.
 */
export async function loginShellEnv(options: LoginShellEnvOptions = {}): Promise<LoginShellEnvResult> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'darwin' && platform !== 'linux') return { ok: false, reason: `no login shell on ${platform}` };
  const env = options.env ?? process.env;
  const shell = options.shell ?? (env.SHELL || (platform === 'darwin' ? '/bin/zsh' : '/bin/bash'));
  const head = '__MCP_ORCH_ENV_';
  const tail = `${randomBytes(8).toString('hex')}__`;
  const marker = head + tail;
  // Valid in sh, bash, zsh, fish and csh; `env -0` is missing on older macOS, hence the fallback
  // (its complaint goes to stderr, which is not read). The marker is printed in two pieces: shells
  // set `$_` to the last argument of the command before, and `env` would print the whole marker in
  // `_=…` between the two, cutting the environment short.
  const printMarker = `printf '%s%s' ${head} ${tail}`;
  const script = `${printMarker}; /usr/bin/env -0 || /usr/bin/env; ${printMarker}`;
  const output = await runLoginShell(shell, script, marker, env, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!output.ok) return output;
  const result = parseEnvOutput(output.text);
  for (const name of VOLATILE) delete result[name];
  if (Object.keys(result).length === 0) return { ok: false, reason: `${shell} printed no environment` };
  return { ok: true, env: result };
}

/**
 * What `env -0` printed (`NAME=value` NUL-separated), or plain `env` (one a line: a line without
 * `=` continues the value before it, the best a newline-separated listing allows).
 */
export function parseEnvOutput(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const nul = text.includes('\0');
  let last: string | undefined;
  for (const entry of text.split(nul ? '\0' : '\n')) {
    const equals = entry.indexOf('=');
    if (equals > 0) {
      last = entry.slice(0, equals);
      result[last] = entry.slice(equals + 1);
    } else if (!nul && last !== undefined && entry !== '') result[last] += `\n${entry}`;
  }
  return result;
}

/**
 * Runs `script` in an interactive login `shell` and answers what it printed between two `marker`s
 * (rc files may print banners around it). The shell runs in its own process group, so a timeout
 * kills whatever its rc files started too.
 */
function runLoginShell(
  shell: string,
  script: string,
  marker: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(shell, ['-ilc', script], { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true, windowsHide: true });
    } catch (error) {
      resolve({ ok: false, reason: `cannot run ${shell}: ${(error as Error).message}` });
      return;
    }
    let output = '';
    let settled = false;
    const done = (result: { ok: true; text: string } | { ok: false; reason: string }): void => {
      if (settled) return;
      settled = true;
      child.stdout?.destroy();
      resolve(result);
    };
    // The deadline covers the whole read, until stdout closes, not just the shell's life: a job an
    // rc file started in the background can hold stdout open after the shell exits. It also kills
    // the shell and its jobs if they linger after the value arrived.
    let exitCode: number | null | undefined = undefined;
    const timer = setTimeout(() => {
      // Once the shell is reaped its pid may be reused: then only its group (its jobs) is signalled.
      if (child.pid !== undefined && exitCode !== undefined) killGroup(child.pid, 'SIGKILL');
      else if (child.pid !== undefined) killTree(child.pid, 'SIGKILL').catch(() => undefined);
      done({
        ok: false,
        reason:
          exitCode === undefined
            ? `${shell} did not answer within ${timeoutMs} ms`
            : `${shell} exited with code ${exitCode ?? 'unknown'} before printing its environment, and a job it started kept its output open past ${timeoutMs} ms`,
      });
    }, timeoutMs);
    timer.unref();
    child.once('error', (error) => {
      clearTimeout(timer);
      done({ ok: false, reason: `cannot run ${shell}: ${error.message}` });
    });
    child.once('exit', (code) => {
      exitCode = code;
      // Once the value is in, a shell that exited leaves nothing to wait for.
      if (settled) clearTimeout(timer);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const text = between(output, marker);
      done(
        text !== undefined
          ? { ok: true, text }
          : { ok: false, reason: `${shell} exited with code ${code ?? 'unknown'} before printing its environment` },
      );
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (output.length < MAX_SHELL_OUTPUT) output += chunk;
      const text = between(output, marker);
      // A background job started by an rc file can keep stdout open: do not wait for 'close'.
      if (text !== undefined) done({ ok: true, text });
    });
  });
}

function between(text: string, marker: string): string | undefined {
  const start = text.indexOf(marker);
  if (start === -1) return undefined;
  const end = text.indexOf(marker, start + marker.length);
  if (end === -1) return undefined;
  return text.slice(start + marker.length, end);
}
