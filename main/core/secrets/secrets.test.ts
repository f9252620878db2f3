import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentSecrets, headlessSecrets } from './environment-secrets.js';
import { FileSecrets, PLAIN_CODEC, type SecretCodec } from './file-secrets.js';
import { SecretError, layeredSecrets } from './secret-provider.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plainFile = (path = join(dir, 'secrets.json')) =>
  new FileSecrets({ path, codec: PLAIN_CODEC, source: 'file', howToSet: (name) => `add ${name} to ${path}` });

describe('environmentSecrets', () => {
  const env = { MCP_ORCH_SECRET_GITHUB_TOKEN: 'ghp_x', MCP_ORCH_SECRET_EMPTY: '', HOME: '/home/ada' };

  it('reads MCP_ORCH_SECRET_<NAME>, lists names only, and treats an empty variable as unset', () => {
    const secrets = environmentSecrets(env);
    expect(secrets.get('GITHUB_TOKEN')).toBe('ghp_x');
    expect(secrets.get('EMPTY')).toBeUndefined();
    expect(secrets.get('HOME')).toBeUndefined();
    expect(secrets.list()).toEqual([{ name: 'GITHUB_TOKEN', source: 'environment' }]);
    expect(secrets.howToSet('X')).toBe('set the environment variable MCP_ORCH_SECRET_X');
  });

  it('refuses writes, saying how to set one instead', async () => {
    await expect(environmentSecrets(env).set('A', 'v')).rejects.toThrow(/MCP_ORCH_SECRET_A.*MCP_ORCH_SECRETS_FILE/);
    await expect(environmentSecrets(env).delete('A')).rejects.toMatchObject({ reason: 'read_only' });
  });
});

describe('FileSecrets', () => {
  it('keeps values in a 0600 file and answers them by name; list never carries a value', async () => {
    const secrets = plainFile();
    const info = await secrets.set('API_KEY', 'sk-123');
    expect(info).toMatchObject({ name: 'API_KEY', source: 'file' });
    expect(secrets.get('API_KEY')).toBe('sk-123');
    expect(JSON.stringify(secrets.list())).not.toContain('sk-123');
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    // Another process (a new provider) sees the same file.
    expect(plainFile().get('API_KEY')).toBe('sk-123');
    expect(await secrets.delete('API_KEY')).toBe(true);
    expect(await secrets.delete('API_KEY')).toBe(false);
    expect(plainFile().get('API_KEY')).toBeUndefined();
  });

  it('reads a hand-written file, sees later edits, and makes a readable file private', async () => {
    const path = join(dir, 'hand.json');
    await writeFile(path, JSON.stringify({ TOKEN: 'one' }));
    await chmod(path, 0o644);
    const secrets = plainFile(path);
    expect(secrets.get('TOKEN')).toBe('one');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await writeFile(path, JSON.stringify({ TOKEN: 'two', OTHER: { value: 'three', setAt: 5 } }));
    expect(secrets.get('TOKEN')).toBe('two');
    expect(secrets.list()).toEqual([
      { name: 'OTHER', source: 'file', setAt: 5 },
      { name: 'TOKEN', source: 'file' },
    ]);
  });

  it('never overwrites a file it cannot read', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ not json', { mode: 0o600 });
    const secrets = plainFile(path);
    expect(secrets.get('A')).toBeUndefined();
    expect(secrets.list()).toEqual([]);
    await expect(secrets.set('A', 'v')).rejects.toMatchObject({
      reason: 'unavailable',
      message: expect.stringMatching(/cannot read the secrets file .*broken\.json/) as unknown,
    });
    expect(await readFile(path, 'utf8')).toBe('{ not json');
  });

  it('refuses bad names and values with a message that does not repeat the value', async () => {
    const secrets = plainFile();
    await expect(secrets.set('1BAD', 'v')).rejects.toBeInstanceOf(SecretError);
    await expect(secrets.set('has-dash', 'v')).rejects.toThrow(/not a secret name/);
    await expect(secrets.set('OK', '')).rejects.toThrow(/empty/);
    const huge = 'q'.repeat(64 * 1024 + 1);
    const error = (await secrets.set('OK', huge).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/over 64 KiB/);
    expect(error.message).not.toContain('qqqq');
  });

  it('stores what its codec makes of a value, and treats a value it cannot decode as unset', async () => {
    const codec: SecretCodec = {
      encode: (value) => `enc:${Buffer.from(value).toString('base64')}`,
      decode: (stored) => {
        if (!stored.startsWith('enc:')) throw new Error('cannot decrypt');
        return Buffer.from(stored.slice(4), 'base64').toString();
      },
    };
    const path = join(dir, 'coded.json');
    const secrets = new FileSecrets({ path, codec, source: 'keychain', howToSet: () => '' });
    await secrets.set('KEY', 'plain-value');
    expect(await readFile(path, 'utf8')).not.toContain('plain-value');
    expect(secrets.get('KEY')).toBe('plain-value');
    await writeFile(path, JSON.stringify({ KEY: { value: 'garbage' } }));
    expect(secrets.get('KEY')).toBeUndefined();
    expect(secrets.list().map((info) => info.name)).toEqual(['KEY']);
  });
});

describe('layered and headless secrets', () => {
  it('reads the store first, then the environment, and writes to the store', async () => {
    const env = { MCP_ORCH_SECRET_A: 'from-env', MCP_ORCH_SECRET_B: 'env-b' };
    const secrets = layeredSecrets(plainFile(), environmentSecrets(env));
    await secrets.set('A', 'from-file');
    expect(secrets.get('A')).toBe('from-file');
    expect(secrets.get('B')).toBe('env-b');
    expect(secrets.list()).toMatchObject([
      { name: 'A', source: 'file' },
      { name: 'B', source: 'environment' },
    ]);
  });

  it('headless: the file named in MCP_ORCH_SECRETS_FILE when there is one, else the environment alone', async () => {
    const path = join(dir, 'named.json');
    const withFile = headlessSecrets({ MCP_ORCH_SECRETS_FILE: path, MCP_ORCH_SECRET_X: 'x' });
    await withFile.set('Y', 'y');
    expect([withFile.get('X'), withFile.get('Y')]).toEqual(['x', 'y']);
    expect(withFile.howToSet('Z')).toContain(path);
    await expect(headlessSecrets({}).set('Y', 'y')).rejects.toMatchObject({ reason: 'read_only' });
  });
});
