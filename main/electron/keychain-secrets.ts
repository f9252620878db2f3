/**
 * The app's secrets: values encrypted with Electron's `safeStorage` (the macOS Keychain, DPAPI on
 * Windows, libsecret or KWallet on Linux) and kept in `<userData>/secrets.json` (0600), in front
 * of the read-only `MCP_ORCH_SECRET_<NAME>` environment. Where Linux has no keyring, safeStorage
 * would fall back to a hard-coded key: then nothing is stored and the error says what to do.
 */
import {
  environmentSecrets,
  FileSecrets,
  type SecretCodec,
  SecretError,
  layeredSecrets,
  type SecretProvider,
} from '../core/shell-surface.js';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring holds the key; `basic_text` means none. */
  getSelectedStorageBackend?(): string;
}

export interface KeychainSecretsOptions {
  safeStorage: SafeStorageLike;
  /** `<userData>/secrets.json`. */
  path: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

/** Encrypts with the OS keychain; refuses when it cannot protect the value. */
export function keychainCodec(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretCodec {
  return {
    encode(value) {
      if (!safeStorage.isEncryptionAvailable())
        throw new SecretError(
          'unavailable',
          'the system keychain is not available: set the secret as MCP_ORCH_SECRET_<NAME> in the environment instead',
        );
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
        throw new SecretError(
          'unavailable',
          'no keyring (GNOME Keyring or KWallet) is running, so a secret could not be protected: start one, or set MCP_ORCH_SECRET_<NAME> in the environment instead',
        );
      }
      return safeStorage.encryptString(value).toString('base64');
    },
    decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
}

export function keychainSecrets(options: KeychainSecretsOptions): SecretProvider {
  const file = new FileSecrets({
    path: options.path,
    codec: keychainCodec(options.safeStorage, options.platform),
    source: 'keychain',
    howToSet: (name) => `set ${name} in MCP Orch's Settings ▸ Secrets (or MCP_ORCH_SECRET_${name} in the environment)`,
  });
  return layeredSecrets(file, environmentSecrets(options.env));
}
