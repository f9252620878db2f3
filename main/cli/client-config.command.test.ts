import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;
let configFile: string;
/** A listener on the configured port: proves the command never contacts the daemon. */
let daemonPort: Server;
let connections = 0;

/** Only PATH and HOME: no MCP_ORCH_*, XDG_* or token leaks in from the test's environment. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, ...extra };
}

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: env(extraEnv), timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, ['--import', 'tsx', MAIN, 'client-config', ...args], extraEnv);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mcp-orch-client-config-'));
  daemonPort = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => daemonPort.listen(0, '127.0.0.1', resolve));
  const { port } = daemonPort.address() as AddressInfo;
  configFile = join(home, 'mcp-config.json');
  await writeFile(
    configFile,
    `{
      // upstream secrets are not needed to print a client config
      "mcpServers": {
        "github": { "command": "npx", "args": ["-y", "x"], "env": { "T": "\${env:UNSET_SECRET}" }, "timeout": 90, "autoApprove": ["list_issues"] },
        "my docs.v2": { "url": "https://example.com/mcp" },
        "off": { "command": "x", "disabled": true },
      },
      "orch": { "port": ${port} },
    }`,
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => daemonPort.close(() => resolve()));
  await rm(home, { recursive: true, force: true });
});

describe('mcp-orch client-config', () => {
  it('prints a Cline snippet for one server, with the token, without contacting the daemon', async () => {
    const { port } = daemonPort.address() as AddressInfo;
    const result = await cli(['cline', 'github', '--config', configFile, '--token', 'tok']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      mcpServers: {
        github: {
          type: 'streamableHttp',
          url: `http://127.0.0.1:${port}/mcp/github`,
          headers: { Authorization: 'Bearer tok' },
          autoApprove: ['list_issues'],
          timeout: 90,
          disabled: false,
        },
      },
    });
    expect(connections).toBe(0);
  });

  it('prints Claude Code commands for every enabled server that a shell runs with the right argv', async () => {
    const result = await cli(['claude-code', '--config', configFile, '--port', '9100', '--host', '0.0.0.0'], {
      MCP_ORCH_TOKEN: "it's $secret",
    });
    expect(result.code).toBe(0);
    const bin = join(home, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'claude'), '#!/usr/bin/env node\nconsole.log(JSON.stringify(process.argv.slice(2)));\n');
    await chmod(join(bin, 'claude'), 0o755);
    const shell = await run('sh', ['-c', result.stdout], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(shell.code).toBe(0);
    expect(
      shell.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      ['mcp', 'add', '--transport', 'http', 'github', 'http://127.0.0.1:9100/mcp/github', '--header', "Authorization: Bearer it's $secret"],
      [
        'mcp',
        'add',
        '--transport',
        'http',
        'my-docs-v2',
        'http://127.0.0.1:9100/mcp/my%20docs.v2',
        '--header',
        "Authorization: Bearer it's $secret",
      ],
    ]);
  });

  it('prints the aggregate over SSE as JSON for scripts', async () => {
    const { port } = daemonPort.address() as AddressInfo;
    const result = await cli(['vscode', '--aggregate', '--sse', '--json', '--config', configFile]);
    expect(result.code).toBe(0);
    const value = { servers: { 'mcp-orch': { type: 'sse', url: `http://127.0.0.1:${port}/sse` } } };
    expect(JSON.parse(result.stdout)).toEqual({ client: 'vscode', format: 'json', text: JSON.stringify(value, null, 2), value });
  });

  it('finds the config in the app-data folder under HOME', async () => {
    const folder = { linux: '.config/mcp-orch', darwin: 'Library/Preferences/mcp-orch' }[process.platform as 'linux' | 'darwin'];
    if (!folder) return;
    await mkdir(join(home, folder), { recursive: true });
    await writeFile(join(home, folder, 'mcp-config.json'), '{"mcpServers":{"only":{"command":"x"}}}');
    const result = await cli(['windsurf']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ mcpServers: { only: { serverUrl: 'http://127.0.0.1:8000/mcp/only' } } });
  });

  it('rejects an unknown client, naming the valid ones', async () => {
    const result = await cli(['emacs', '--config', configFile]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'unknown client "emacs"; expected one of: cline, cursor, vscode, claude-code, windsurf, claude-desktop',
    );
  });

  it('rejects an unknown server, naming the known ones', async () => {
    const result = await cli(['cursor', 'nope', '--config', configFile]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown server "nope"; known servers: github, my docs.v2, off');
    const json = await cli(['cursor', 'nope', '--json', '--config', configFile]);
    expect(json.code).not.toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'unknown_server' } });
  });

  it('prints the ConfigError of an invalid config', async () => {
    const bad = join(home, 'bad.json');
    await writeFile(bad, '{"mcpServers":{"a":{"command":"x","timeout":"slow"}}}');
    const result = await cli(['cursor', '--config', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${bad}: invalid configuration:\n  - mcpServers.a.timeout: Invalid input: expected number, received string`,
    );
  });
});
