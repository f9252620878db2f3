import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../core/auth/token-service.js';
import { openDatabase } from '../core/store/database.js';
import { TokensRepository } from '../core/store/tokens.repository.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'main/cli/main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;

/** Only PATH, HOME and MCP_ORCH_HOME: no other MCP_ORCH_* or token leaks in from the test's environment. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH, HOME: home, MCP_ORCH_HOME: join(home, 'orch'), ...extraEnv };
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, 'token', ...args],
      { cwd: ROOT, env, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Authenticates `token` against the database file the way the daemon would. */
function authenticate(path: string, token: string): ReturnType<TokenService['authenticate']> {
  const db = openDatabase(path);
  const tokens = new TokensRepository(db);
  try {
    return new TokenService({ tokens }).authenticate(token);
  } finally {
    tokens.close();
    db.close();
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mcp-orch-token-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('mcp-orch token', () => {
  const database = (): string => join(home, 'orch', 'mcp-orch.db');
  let first = '';

  it('creates a key in the app-data database, printing the token alone on stdout and a warning on stderr', async () => {
    const result = await cli([
      'create',
      '--name',
      'cline',
      '--role',
      'operator',
      '--expires',
      '30d',
      '--allow',
      'github__*',
      '--deny',
      'github__delete_*,github__admin_*',
    ]);
    expect(result.code).toBe(0);
    first = result.stdout.trim();
    expect(first).toMatch(/^mo_[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toContain('Created key "cline" (operator, key_');
    expect(result.stderr).toContain('This is the only time the token is shown');
    expect(readFileSync(database()).includes(Buffer.from(first.slice(3)))).toBe(false);
    expect(authenticate(database(), first)).toMatchObject({
      ok: true,
      value: {
        name: 'cline',
        role: 'operator',
        allow: ['github__*'],
        deny: ['github__delete_*', 'github__admin_*'],
        rateLimitPerMinute: 600,
        kind: 'key',
      },
    });
  });

  it('lists keys without their tokens, as a table or JSON', async () => {
    const table = await cli(['list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME +ID +TOKEN +ROLE +STATUS/);
    expect(table.stdout).toContain(`${first.slice(0, 9)}…`);
    expect(table.stdout).toContain('+github__* -github__delete_* -github__admin_*');
    const json = await cli(['list', '--json']);
    expect(json.stdout).not.toContain(first.slice(9));
    // The use by `authenticate` above was written when its store closed.
    expect(JSON.parse(json.stdout)).toMatchObject([{ name: 'cline', role: 'operator', status: 'active', usageCount: 1 }]);
  });

  it('rotates with a grace period and revokes every live token of the key', async () => {
    const rotated = await cli(['rotate', 'cline', '--grace', '1h', '--json']);
    expect(rotated.code).toBe(0);
    const body = JSON.parse(rotated.stdout) as { token: string; key: { id: string }; previous: { status: string } };
    expect(body.previous.status).toBe('rotating');
    expect(rotated.stderr).toMatch(/the old token keeps working until .* \(1h\)/);
    expect(authenticate(database(), first).ok).toBe(true);
    expect(authenticate(database(), body.token).ok).toBe(true);

    const revoked = await cli(['revoke', 'cline']);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(body.key.id);
    expect(authenticate(database(), first)).toMatchObject({ ok: false, error: { code: 'revoked' } });
    expect(authenticate(database(), body.token)).toMatchObject({ ok: false, error: { code: 'revoked' } });
    expect((await cli(['list'])).stdout).toContain('No keys.');
    expect((await cli(['list', '--all', '--json'])).stdout).toContain('"status": "revoked"');
  });

  it('audits create, rotate and revoke as the REST operations are audited, by the person at the machine', () => {
    const db = openDatabase(database());
    try {
      const rows = db
        .prepare("SELECT key_id, key_name, action, target, outcome, details FROM audit WHERE action LIKE 'tokens.%' ORDER BY id")
        .all() as Record<string, unknown>[];
      expect(rows.map((row) => [row.action, row.target, row.outcome])).toEqual([
        ['tokens.create', 'cline', 'ok'],
        ['tokens.rotate', 'cline', 'ok'],
        ['tokens.revoke', 'cline', 'ok'],
      ]);
      for (const row of rows) expect(row).toMatchObject({ key_id: 'local', key_name: '(cli)' });
      expect(JSON.parse(rows[0]!.details as string)).toMatchObject({ role: 'operator' });
      expect(JSON.stringify(rows)).not.toMatch(/mo_[A-Za-z0-9_-]{43}/);
    } finally {
      db.close();
    }
  });

  it('uses orch.database of --config', async () => {
    const other = join(home, 'elsewhere', 'custom.db');
    const config = join(home, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { s: { command: 'x', env: { T: '${env:UNSET_SECRET}' } } }, orch: { database: other } }),
    );
    const result = await cli(['create', '--name', 'ci', '--role', 'viewer', '--config', config]);
    expect(result.code).toBe(0);
    expect(existsSync(other)).toBe(true);
    expect(authenticate(other, result.stdout.trim())).toMatchObject({ ok: true, value: { name: 'ci', role: 'viewer' } });
  });

  it('explains what went wrong: taken name, bad role, bad duration, unknown key', async () => {
    await cli(['create', '--name', 'dup', '--role', 'viewer']);
    const taken = await cli(['create', '--name', 'dup', '--role', 'viewer', '--json']);
    expect(taken.code).toBe(1);
    expect(JSON.parse(taken.stdout)).toEqual({
      error: { code: 'conflict', message: 'a key named "dup" already exists: revoke or rotate it, or choose another name' },
    });
    const role = await cli(['create', '--name', 'x', '--role', 'root']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('Allowed choices are admin, operator, viewer');
    const expiry = await cli(['create', '--name', 'x', '--role', 'viewer', '--expires', '3y']);
    expect(expiry.code).not.toBe(0);
    expect(expiry.stderr).toContain('use a whole number and a unit, e.g. 90m, 12h, 30d or 2w');
    const unknown = await cli(['revoke', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('mcp-orch token: no key with the id or name "nobody"');
  });
});
