/**
 * `mcp-orch client-config <client> --write` and `--undo` as a user runs them: a real CLI process
 * with its own HOME, writing the client's real config file and the key into the real database,
 * audited there as the person at the machine (`(cli)`), as the same operations are over REST.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/store/audit.repository.js';
import { openDatabase } from '../core/store/database.js';
import { Store } from '../core/store/store.js';
import { TokensRepository } from '../core/store/tokens.repository.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

let home: string;
let configFile: string;
const WINDSURF = () => join(home, '.codeium/windsurf/mcp_config.json');
const ORIGINAL = '{ "mcpServers": { "mine": { "serverUrl": "https://example.com/mcp" } } }\n';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, 'client-config', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, MCP_ORCH_HOME: join(home, 'orch') }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function liveKeys(): string[] {
  const db = openDatabase(join(home, 'orch', 'mcp-orch.db'));
  const tokens = new TokensRepository(db);
  try {
    return tokens.list({ now: Date.now() }).map((key) => key.name);
  } finally {
    tokens.close();
    db.close();
  }
}

/** The audit entries of `clients.*`, oldest first, as the database holds them. */
function clientAudit(): AuditRecord[] {
  const store = Store.open(join(home, 'orch', 'mcp-orch.db'));
  try {
    return store.audit.list({ action: 'clients.*' }).items.reverse();
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mcp-orch-client-write-'));
  configFile = join(home, 'mcp-config.json');
  await writeFile(configFile, JSON.stringify({ mcpServers: { github: { command: 'npx', args: ['-y', 'x'] } }, orch: { port: 8123 } }));
  await mkdir(join(home, '.codeium/windsurf'), { recursive: true });
  await writeFile(WINDSURF(), ORIGINAL);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('mcp-orch client-config --write / --undo', () => {
  it("makes a key, writes it into Windsurf's file with a backup, prints the change masked, and undoes it", async () => {
    const written = await cli(['windsurf', '--aggregate', '--config', configFile, '--write']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('+    "mcp-orch": {');
    expect(written.stdout).toContain('Bearer mo_••••');
    expect(written.stdout).not.toMatch(/mo_[A-Za-z0-9_-]{20}/);
    expect(written.stderr).toContain(`backup: ${WINDSURF()}.mcp-orch-backup`);
    const file = JSON.parse(await readFile(WINDSURF(), 'utf8')) as {
      mcpServers: Record<string, { serverUrl?: string; headers?: Record<string, string> }>;
    };
    expect(file.mcpServers.mine?.serverUrl).toBe('https://example.com/mcp');
    expect(file.mcpServers['mcp-orch']).toMatchObject({
      serverUrl: 'http://127.0.0.1:8123/mcp',
      headers: { Authorization: expect.stringMatching(/^Bearer mo_/) as unknown },
    });
    expect(liveKeys()).toEqual(['windsurf']);
    expect(clientAudit()).toEqual([
      expect.objectContaining({
        action: 'clients.connect',
        keyId: 'local',
        keyName: '(cli)',
        outcome: 'ok',
        details: { path: WINDSURF(), key: 'windsurf', entries: ['mcp-orch'] },
      }),
    ]);

    const undone = await cli(['windsurf', '--config', configFile, '--undo']);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`restored ${WINDSURF()}`);
    expect(await readFile(WINDSURF(), 'utf8')).toBe(ORIGINAL);
    await expect(access(`${WINDSURF()}.mcp-orch-backup`)).rejects.toThrow();
    expect(liveKeys()).toEqual([]);
    expect(clientAudit().map((entry) => [entry.action, entry.keyName, entry.outcome, entry.details])).toEqual([
      ['clients.connect', '(cli)', 'ok', { path: WINDSURF(), key: 'windsurf', entries: ['mcp-orch'] }],
      ['clients.undo', '(cli)', 'ok', { path: WINDSURF(), restored: 'backup' }],
    ]);
  });

  it('refuses an undo with nothing to undo, and --write with a token of its own', async () => {
    const nothing = await cli(['cursor', '--config', configFile, '--undo']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('nothing to undo for Cursor');
    expect(clientAudit().at(-1)).toMatchObject({ action: 'clients.undo', keyName: '(cli)', outcome: 'error' });
    const unknown = await cli(['cursor', 'gitlab', '--config', configFile, '--write']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown server "gitlab"; known servers: github');
    const both = await cli(['cursor', '--config', configFile, '--write', '--token', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--write makes a key of its own');
  });
});
