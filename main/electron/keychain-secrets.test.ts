import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/shell-surface.js';
import { keychainSecrets, type SafeStorageLike } from './keychain-secrets.js';

/** A keychain that encrypts with a key of its own (XOR, with a tag to notice a foreign key). */
class FakeKeychain implements SafeStorageLike {
  available = true;
  backend = 'gnome_libsecret';
  constructor(private key = 0x5a) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    const bytes = Buffer.from(`v10:${plainText}`, 'utf8');
    return Buffer.from(bytes.map((byte) => byte ^ this.key));
  }
  decryptString(encrypted: Buffer): string {
    const text = Buffer.from(encrypted.map((byte) => byte ^ this.key)).toString('utf8');
    if (!text.startsWith('v10:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text.slice(4);
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  /** The user reset their keychain: old values can no longer be read. */
  reset(): void {
    this.key = 0x33;
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-keychain-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (keychain: SafeStorageLike, env: Record<string, string> = {}, platform: NodeJS.Platform = 'darwin') =>
  keychainSecrets({ safeStorage: keychain, path: join(dir, 'secrets.json'), env, platform });

describe('keychain secrets', () => {
  it('keeps only ciphertext on disk, in a private file, and gives the value back to the config', async () => {
    const keychain = new FakeKeychain();
    const secrets = open(keychain);
    await secrets.set('GITHUB_TOKEN', 'ghp_supersecret');
    const file = await readFile(join(dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('ghp_supersecret');
    expect(file).toContain('GITHUB_TOKEN');
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    const config = parseConfig('{"mcpServers":{"gh":{"command":"npx","env":{"GITHUB_TOKEN":"${secret:GITHUB_TOKEN}"}}}}', {
      env: {},
      secrets: open(keychain),
    });
    expect(config.servers[0]?.env).toEqual({ GITHUB_TOKEN: 'ghp_supersecret' });
    expect(secrets.list()).toEqual([{ name: 'GITHUB_TOKEN', source: 'keychain', setAt: expect.any(Number) as unknown }]);
  });

  it('falls back to MCP_ORCH_SECRET_<NAME>, and the keychain wins over it', async () => {
    const secrets = open(new FakeKeychain(), { MCP_ORCH_SECRET_A: 'env-a', MCP_ORCH_SECRET_B: 'env-b' });
    await secrets.set('A', 'keychain-a');
    expect([secrets.get('A'), secrets.get('B')]).toEqual(['keychain-a', 'env-b']);
    expect(secrets.list().map((info) => `${info.name}:${info.source}`)).toEqual(['A:keychain', 'B:environment']);
    expect(await secrets.delete('A')).toBe(true);
    expect(secrets.get('A')).toBe('env-a');
  });

  it('treats a value the keychain can no longer decrypt as not set, and says how to set it', async () => {
    const keychain = new FakeKeychain();
    await open(keychain).set('KEY', 'value');
    keychain.reset();
    const secrets = open(keychain);
    expect(secrets.get('KEY')).toBeUndefined();
    expect(() => parseConfig('{"mcpServers":{"a":{"command":"x","env":{"K":"${secret:KEY}"}}}}', { env: {}, secrets })).toThrow(
      "secret KEY is not set: set KEY in MCP Orch's Settings ▸ Secrets (or MCP_ORCH_SECRET_KEY in the environment)",
    );
  });

  it("refuses to store a secret without a keychain, or behind Linux's hard-coded fallback key", async () => {
    const missing = new FakeKeychain();
    missing.available = false;
    await expect(open(missing).set('A', 'v')).rejects.toMatchObject({
      reason: 'unavailable',
      message: expect.stringMatching(/keychain is not available/) as unknown,
    });
    const basic = new FakeKeychain();
    basic.backend = 'basic_text';
    await expect(open(basic, {}, 'linux').set('A', 'v')).rejects.toThrow(/no keyring .* is running/);
    await expect(readFile(join(dir, 'secrets.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
