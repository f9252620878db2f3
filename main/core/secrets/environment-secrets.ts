/**
 * The headless daemon's secrets: `MCP_ORCH_SECRET_<NAME>` in its environment, and, when
 * `MCP_ORCH_SECRETS_FILE` names one, a JSON file it can also write (kept 0600).
 */
import { FileSecrets, PLAIN_CODEC } from './file-secrets.js';
import { SecretError, layeredSecrets, type SecretInfo, type SecretProvider } from './secret-provider.js';

/** The prefix of the environment variables that hold secrets. */
export const SECRET_ENV_PREFIX = 'MCP_ORCH_SECRET_';

/** The environment variable naming the headless secrets file. */
export const SECRETS_FILE_ENV = 'MCP_ORCH_SECRETS_FILE';

/** Read-only secrets from `MCP_ORCH_SECRET_<NAME>` variables of `env`. */
export function environmentSecrets(env: Record<string, string | undefined>): SecretProvider {
  const readOnly = (name: string): Promise<never> =>
    Promise.reject(
      new SecretError(
        'read_only',
        `secrets come from the environment here: set ${SECRET_ENV_PREFIX}${name} where MCP Orch starts, or name a file in ${SECRETS_FILE_ENV}`,
      ),
    );
  return {
    get: (name) => {
      const value = env[`${SECRET_ENV_PREFIX}${name}`];
      return value === '' ? undefined : value;
    },
    howToSet: (name) => `set the environment variable ${SECRET_ENV_PREFIX}${name}`,
    list: () =>
      Object.keys(env)
        .filter((key) => key.startsWith(SECRET_ENV_PREFIX) && key.length > SECRET_ENV_PREFIX.length && env[key])
        .map((key): SecretInfo => ({ name: key.slice(SECRET_ENV_PREFIX.length), source: 'environment' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    set: readOnly,
    delete: readOnly,
  };
}

/**
 * The secrets of a headless daemon: the file named in `MCP_ORCH_SECRETS_FILE` (read and written)
 * in front of the environment, or the environment alone.
 */
export function headlessSecrets(env: Record<string, string | undefined>): SecretProvider {
  const fromEnv = environmentSecrets(env);
  const path = env[SECRETS_FILE_ENV];
  if (!path) return fromEnv;
  const file = new FileSecrets({
    path,
    codec: PLAIN_CODEC,
    source: 'file',
    howToSet: (name) => `add ${name} to ${path} (or run the app's Settings ▸ Secrets), or set ${SECRET_ENV_PREFIX}${name}`,
  });
  return layeredSecrets(file, fromEnv);
}
