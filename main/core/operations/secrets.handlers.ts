/**
 * `secrets.*`: set, clear and list the secrets `${secret:NAME}` refers to. A value goes into the
 * provider and never comes back out: not in an answer, not in the audit log. When the config file
 * refers to the secret, the file is applied again, so the servers that use it restart with it.
 */
import { readFile } from 'node:fs/promises';
import { refersToSecret } from '../config/interpolate.js';
import { SecretError } from '../secrets/secret-provider.js';
import { reloadView } from './config.handlers.js';
import type { Handlers, OperationDeps } from './deps.js';
import { OperationError } from './operation-error.js';

export function secretHandlers(
  deps: Pick<OperationDeps, 'secrets' | 'hotReload' | 'configPath'>,
): Handlers<'secrets.list' | 'secrets.set' | 'secrets.clear'> {
  /** Applies the config file again if it names `name`; the reload's outcome, else undefined. */
  const reapply = async (name: string) => {
    const reload = deps.hotReload;
    const text = await readFile(deps.configPath, 'utf8').catch(() => undefined);
    if (text === undefined || !refersToSecret(text, name)) return undefined;
    return reloadView(await reload.reload(text, deps.configPath));
  };
  return {
    'secrets.list': () => ({ secrets: deps.secrets.list() }),
    'secrets.set': async ({ name, value }, call) => {
      call.audit.target = name;
      const secret = await guard(() => deps.secrets.set(name, value));
      const reload = await reapply(name);
      return { secret, ...(reload ? { reload } : {}) };
    },
    'secrets.clear': async ({ name }, call) => {
      call.audit.target = name;
      const cleared = await guard(() => deps.secrets.delete(name));
      const reload = cleared ? await reapply(name) : undefined;
      return { name, cleared, ...(reload ? { reload } : {}) };
    },
  };
}

/** A provider's refusal as the API says it; the message never carries the value. */
async function guard<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    throw new OperationError(
      error.reason === 'invalid' ? 'bad_request' : error.reason === 'unavailable' ? 'server_unavailable' : 'conflict',
      error.message,
    );
  }
}
