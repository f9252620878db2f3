import { describe, expect, it } from 'vitest';
import type { Runtime } from '../core/runtime.js';
import { environmentSecrets } from '../core/secrets/environment-secrets.js';
import { MemoryDispatcher } from './__fixtures__/memory-dispatcher.js';
import { desktopEnvironment, explainCoreError, startCore } from './core-host.js';
import { checkForUpdates, updatesConfigured } from './updates.js';

describe('desktopEnvironment', () => {
  const own = { PATH: '/usr/bin:/bin', HOME: '/Users/ada', LANG: 'en_US.UTF-8' };

  it('takes the login shell\'s variables and puts its PATH first', () => {
    const env = desktopEnvironment(own, { ok: true, env: { PATH: '/opt/homebrew/bin:/usr/bin', GITHUB_TOKEN: 'from-zshrc', HOME: '/Users/ada' } }, 'darwin');
    expect(env.GITHUB_TOKEN).toBe('from-zshrc');
    expect(env.LANG).toBe('en_US.UTF-8');
    expect(env.PATH!.split(':').slice(0, 3)).toEqual(['/opt/homebrew/bin', '/usr/bin', '/bin']);
    expect(env.MCP_ORCH_LOGIN_SHELL_PATH).toBe('0');
  });

  it('keeps the app\'s own environment when the shell could not be read', () => {
    expect(desktopEnvironment(own, { ok: false, reason: 'timed out' }, 'darwin')).toEqual({ ...own, MCP_ORCH_LOGIN_SHELL_PATH: '0' });
  });
});

describe('starting the core', () => {
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
    const core = await startCore({ createRuntime: (options) => ((given = options), Promise.resolve(runtime)), env: { A: '1' }, secrets });
    expect(given).toEqual({ env: { A: '1' }, secrets });
    expect(core).toMatchObject({ dispatcher, configPath: '/c/mcp-config.json', logDir: '/l', url: 'http://127.0.0.1:8000' });
    await core.dispose();
    expect(disposed.count).toBe(1);
  });

  it('stops a runtime that has no operations layer instead of leaving its servers running', async () => {
    const { runtime, disposed } = fakeRuntime();
    await expect(startCore({ createRuntime: () => Promise.resolve(runtime), env: {}, secrets: environmentSecrets({}) })).rejects.toThrow(/no operations layer/);
    expect(disposed.count).toBe(1);
  });

  it('explains better-sqlite3 built for the wrong runtime, and passes other errors through', async () => {
    const abi = new Error("The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 143.");
    expect(explainCoreError(abi)).toMatch(/^better-sqlite3 is built for Node\.js, not for this Electron: run "npx electron-builder install-app-deps"/);
    await expect(startCore({ createRuntime: () => Promise.reject(new Error('port 8000 in use')), env: {}, secrets: environmentSecrets({}) })).rejects.toThrow('port 8000 in use');
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
