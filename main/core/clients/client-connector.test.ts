import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientConnectError, ClientConnector } from './client-connector.js';
import { clientConfigPath, machinePaths } from './client-files.js';

let home: string;
let keys: { id: string; name: string; revoked: boolean }[];

function connector() {
  return new ClientConnector({
    paths: machinePaths({ HOME: home }, 'linux', home),
    dataDir: join(home, 'data'),
    baseUrl: () => 'http://127.0.0.1:8123',
    servers: () => [{ name: 'github', autoApprove: ['list_issues'], timeoutSeconds: 30 }],
    createKey: (client) => {
      const key = { id: `key_${keys.length + 1}`, name: client, revoked: false };
      keys.push(key);
      return {
        id: key.id,
        name: key.name,
        secret: `mo_secret${keys.length}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        info: { name: key.name },
      };
    },
    revokeKey: (id) => {
      const key = keys.find((candidate) => candidate.id === id)!;
      key.revoked = true;
      return [id];
    },
  });
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'mcp-orch-clients-'));
  keys = [];
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('connecting a client', () => {
  it('writes Cline its entry beside the servers it had, keeps a backup, shows the key masked, and undoes it all', async () => {
    const path = clientConfigPath('cline', machinePaths({ HOME: home }, 'linux', home));
    await mkdir(join(path, '..'), { recursive: true });
    const original = '{\n  // mine\n  "mcpServers": { "local": { "command": "node", "args": ["x.js"] } }\n}\n';
    await writeFile(path, original);

    const preview = await connector().preview('cline', { kind: 'aggregate' });
    expect(preview.diff).toContain('+    "mcp-orch": {');
    expect(keys).toHaveLength(0);

    const done = await connector().connect('cline', { kind: 'aggregate' });
    const written = await readFile(path, 'utf8');
    expect(written).toContain('// mine');
    expect(JSON.parse(written.replace('// mine', ''))).toMatchObject({
      mcpServers: {
        local: { command: 'node' },
        'mcp-orch': {
          type: 'streamableHttp',
          url: 'http://127.0.0.1:8123/mcp',
          headers: { Authorization: expect.stringMatching(/^Bearer mo_secret1/) as unknown },
        },
      },
    });
    expect(done.diff).not.toContain('mo_secret1');
    expect(done.diff).toContain('mo_••••');
    expect(await readFile(done.backupPath!, 'utf8')).toBe(original);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await connector().list()).find((client) => client.client === 'cline')).toMatchObject({
      connected: ['mcp-orch'],
      undo: { keyName: 'cline' },
    });

    const undone = await connector().undo('cline');
    expect(undone).toMatchObject({ restored: 'backup', revoked: ['key_1'] });
    expect(await readFile(path, 'utf8')).toBe(original);
    expect(keys[0]!.revoked).toBe(true);
  });

  it('creates a missing file and removes it again on undo', async () => {
    const done = await connector().connect('cursor', { kind: 'all' });
    expect(done.exists).toBe(false);
    expect(JSON.parse(await readFile(done.path, 'utf8'))).toMatchObject({
      mcpServers: { github: { url: 'http://127.0.0.1:8123/mcp/github' } },
    });
    expect(await connector().undo('cursor')).toMatchObject({ restored: 'removed' });
    await expect(stat(done.path)).rejects.toThrow();
  });

  it('refuses to undo over changes made since, and to edit a file that is not JSON', async () => {
    const done = await connector().connect('windsurf', { kind: 'aggregate' });
    await writeFile(done.path, '{ "mcpServers": {} }');
    await expect(connector().undo('windsurf')).rejects.toMatchObject({ code: 'conflict' });

    const path = clientConfigPath('claude-desktop', machinePaths({ HOME: home }, 'linux', home));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '{ not json');
    const refused = connector().connect('claude-desktop', { kind: 'aggregate' });
    await expect(refused).rejects.toBeInstanceOf(ClientConnectError);
    expect(await readFile(path, 'utf8')).toBe('{ not json');
    expect(keys).toHaveLength(1);
  });
});
