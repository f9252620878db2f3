import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../core/runtime.js';
import { environmentSecrets } from '../core/shell-surface.js';
import { MemoryDispatcher } from './__fixtures__/memory-dispatcher.js';
import {
  appRootOf,
  desktopDefaultConfig,
  desktopEnvironment,
  explainCoreError,
  shellBrowser,
  startCore,
  unpackedPath,
} from './core-host.js';
import { keychainCodec } from './keychain-secrets.js';
import { checkForUpdates, updatesConfigured } from './updates.js';

/** The example server from source (its dependencies resolve from the repository's node_modules). */
const EXAMPLE_SERVER = fileURLToPath(new URL('../../resources/example-server.mjs', import.meta.url));

describe('desktopEnvironment', () => {
  const own = { PATH: '/usr/bin:/bin', HOME: '/Users/ada', LANG: 'en_US.UTF-8' };

  it("takes the login shell's variables and puts its PATH first", () => {
    const env = desktopEnvironment(
      own,
      { ok: true, env: { PATH: '/opt/homebrew/bin:/usr/bin', GITHUB_TOKEN: 'from-zshrc', HOME: '/Users/ada' } },
      'darwin',
    );
    expect(env.GITHUB_TOKEN).toBe('from-zshrc');
    expect(env.LANG).toBe('en_US.UTF-8');
    expect(env.PATH!.split(':').slice(0, 3)).toEqual(['/opt/homebrew/bin', '/usr/bin', '/bin']);
    expect(env.MCP_ORCH_LOGIN_SHELL_PATH).toBe('0');
  });

  it("keeps the app's own environment when the shell could not be read, and logs why in one line", () => {
    const lines: string[] = [];
    const reason = '/bin/zsh exited with code 1 before printing its environment';
    expect(desktopEnvironment(own, { ok: false, reason }, 'darwin', (line) => lines.push(line))).toEqual({
      ...own,
      MCP_ORCH_LOGIN_SHELL_PATH: '0',
    });
    expect(lines).toEqual([`login shell not read: ${reason}; the core runs with the app's own environment`]);
  });

  it('logs nothing on win32, which has no login shell', () => {
    const lines: string[] = [];
    desktopEnvironment(own, { ok: false, reason: 'no login shell on win32' }, 'win32', (line) => lines.push(line));
    expect(lines).toEqual([]);
  });
});

function withoutConfigOverride(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const { MCP_ORCH_CONFIG: _ignored, ...rest } = env;
  return rest;
}

describe('starting the core', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-orch-desktop-home-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });
  /** Options every start here shares: an isolated home, so no real config is ever touched. */
  const isolated = () => ({ env: { MCP_ORCH_HOME: home }, secrets: environmentSecrets({}), exampleServer: EXAMPLE_SERVER });

  const fakeRuntime = (operations?: MemoryDispatcher) => {
    const disposed = { count: 0 };
    const runtime = {
      configPath: '/c/mcp-config.json',
      logDir: '/l',
      url: 'http://127.0.0.1:8000',
      dispose: () => {
        disposed.count++;
        return Promise.resolve();
      },
      ...(operations ? { operations } : {}),
    } as unknown as Runtime;
    return { runtime, disposed };
  };

  it('hands the environment and the secrets to the runtime, and serves through its operations layer', async () => {
    const dispatcher = new MemoryDispatcher({});
    const { runtime, disposed } = fakeRuntime(dispatcher);
    const secrets = environmentSecrets({});
    let given: unknown;
    const env = { MCP_ORCH_HOME: home, A: '1' };
    const core = await startCore({
      createRuntime: (options) => ((given = options), Promise.resolve(runtime)),
      env,
      secrets,
      exampleServer: EXAMPLE_SERVER,
    });
    expect(given).toEqual({ env, secrets });
    expect(core).toMatchObject({ dispatcher, configPath: '/c/mcp-config.json', logDir: '/l', url: 'http://127.0.0.1:8000' });
    await core.dispose();
    expect(disposed.count).toBe(1);
  });

  it("gives sign-ins the shell's browser (http and https links only) and the keychain for their tokens", async () => {
    const { runtime } = fakeRuntime(new MemoryDispatcher({}));
    const opened: string[] = [];
    const codec = keychainCodec(
      {
        isEncryptionAvailable: () => true,
        encryptString: (text) => Buffer.from(`sealed:${text}`),
        decryptString: (sealed) => sealed.toString().replace(/^sealed:/, ''),
      },
      'darwin',
    );
    let given: { openBrowser?: (url: string) => Promise<boolean>; oauthCodec?: unknown } = {};
    await startCore({
      createRuntime: (options) => ((given = options), Promise.resolve(runtime)),
      env: { MCP_ORCH_HOME: home },
      secrets: environmentSecrets({}),
      exampleServer: EXAMPLE_SERVER,
      openExternal: (url) => (url.includes('refused') ? Promise.reject(new Error('no handler')) : (opened.push(url), Promise.resolve())),
      oauthCodec: codec,
    });
    expect(given.oauthCodec).toBe(codec);
    const open = given.openBrowser!;
    expect(await open('https://auth.example/authorize?state=s')).toBe(true);
    expect(await open('http://127.0.0.1:9000/authorize')).toBe(true);
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(await open('javascript:alert(1)')).toBe(false);
    expect(await open('https://refused.example/')).toBe(false);
    expect(opened).toEqual(['https://auth.example/authorize?state=s', 'http://127.0.0.1:9000/authorize']);
    expect(await shellBrowser(() => Promise.resolve())('HTTPS://UPPER.example/')).toBe(true);
  });

  it('explains better-sqlite3 built for the wrong runtime, and passes other errors through', async () => {
    const abi = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 143.",
    );
    expect(explainCoreError(abi)).toMatch(
      /^better-sqlite3 is built for Node\.js, not for this Electron: run "npx electron-builder install-app-deps"/,
    );
    await expect(startCore({ ...isolated(), createRuntime: () => Promise.reject(new Error('port 8000 in use')) })).rejects.toThrow(
      'port 8000 in use',
    );
  });

  it("on a first start writes a config whose example server runs on the user's node, not the app as Node, and it starts", async () => {
    const example = desktopDefaultConfig('/Applications/MCP Orch.app/Contents/Resources/app.asar.unpacked/x.mjs').mcpServers.example;
    expect(example).toMatchObject({ command: 'node', args: ['/Applications/MCP Orch.app/Contents/Resources/app.asar.unpacked/x.mjs'] });
    expect(example?.env ?? {}).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    let exampleState: string | undefined;
    const start = startCore({
      ...isolated(),
      env: { ...withoutConfigOverride(process.env), MCP_ORCH_HOME: home, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
      // The real core on the written config (port 0); this core has no operations layer yet, so the start then fails and stops it.
      createRuntime: async (options) => {
        const runtime = await createRuntime({ ...options, port: 0 });
        await runtime.ready;
        exampleState = runtime.supervisor.get('example')?.status().state;
        return runtime;
      },
    });
    await start.catch(() => undefined);
    const written = JSON.parse(await readFile(join(home, 'mcp-config.json'), 'utf8')) as {
      mcpServers: { example: { command: string; args: string[] } };
    };
    expect(written.mcpServers.example).toMatchObject({ command: 'node', args: [EXAMPLE_SERVER] });
    expect(exampleState).toBe('running');
  });
});

describe('unpackedPath', () => {
  it('points a file of app.asar at app.asar.unpacked, and leaves other paths alone', () => {
    expect(unpackedPath('/Applications/MCP Orch.app/Contents/Resources/app.asar/dist/example-server/example-server.mjs')).toBe(
      '/Applications/MCP Orch.app/Contents/Resources/app.asar.unpacked/dist/example-server/example-server.mjs',
    );
    expect(unpackedPath('C:\\Program Files\\MCP Orch\\resources\\app.asar\\dist\\x.mjs')).toBe(
      'C:\\Program Files\\MCP Orch\\resources\\app.asar.unpacked\\dist\\x.mjs',
    );
    expect(unpackedPath('/repo/dist/example-server/example-server.mjs')).toBe('/repo/dist/example-server/example-server.mjs');
  });
});

describe('appRootOf', () => {
  it('finds the repository root from a compiled module and from its source', () => {
    expect(appRootOf('file:///repo/dist/main/electron/main.js')).toBe('/repo');
    expect(appRootOf('file:///repo/main/electron/main.ts')).toBe('/repo');
  });
});

describe('updates', () => {
  it('stay off without a publish setting (no app-update.yml), and from the source tree', async () => {
    expect(updatesConfigured(undefined)).toBe(false);
    expect(updatesConfigured('/Applications/MCP Orch.app/Contents/Resources', () => false)).toBe(false);
    let loaded = false;
    const checked = await checkForUpdates({
      resourcesPath: '/r',
      exists: () => false,
      loadUpdater: () => ((loaded = true), Promise.resolve({ checkForUpdatesAndNotify: () => Promise.resolve() })),
      log: () => undefined,
    });
    expect([checked, loaded]).toEqual([false, false]);
  });

  it('check once when electron-builder wrote app-update.yml, and a failure is logged, not thrown', async () => {
    const logs: string[] = [];
    const checked = await checkForUpdates({
      resourcesPath: '/r',
      exists: (path) => path === '/r/app-update.yml',
      loadUpdater: () => Promise.resolve({ checkForUpdatesAndNotify: () => Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED')) }),
      log: (line) => logs.push(line),
    });
    expect(checked).toBe(true);
    expect(logs).toEqual(['update check failed: net::ERR_NAME_NOT_RESOLVED']);
  });
});
