/** The configuration written on first start, so `npm start` works on a fresh machine. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, type ConfigFile } from '../../../shared/config.js';

/** Absolute path of the bundled example server (resources/example-server.mjs). */
export function exampleServerPath(): string {
  // dist/main/core/config → repo root, and main/core/config → repo root: both four or three levels up.
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSource = join(here, '..', '..', '..', 'resources', 'example-server.mjs');
  const fromDist = join(here, '..', '..', '..', '..', 'resources', 'example-server.mjs');
  return here.includes(`${join('dist', 'main')}`) ? fromDist : fromSource;
}

export function defaultConfig(): ConfigFile {
  return {
    mcpServers: {
      example: {
        command: 'node',
        args: [exampleServerPath()],
        timeout: 60,
        autoApprove: ['echo', 'add', 'now'],
      },
    },
    orch: {
      port: DEFAULTS.port,
      host: DEFAULTS.host,
      mode: DEFAULTS.mode,
      namespaceSeparator: DEFAULTS.namespaceSeparator,
    },
  };
}

/** Creates `path` with `config` (default: `defaultConfig()`) unless it exists. Returns true when it wrote one. */
export async function ensureConfigFile(path: string, config: ConfigFile = defaultConfig()): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
