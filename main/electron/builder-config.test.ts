/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib's scheme.json),
 * plus what the schema cannot know: every file it names exists, and the targets, native module
 * handling, fuses (the afterPack hook, run on a stand-in binary), macOS entitlements and update
 * setting are what the app needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import afterPack, { FUSES, electronBinary } from '../../scripts/electron-fuses.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface TargetEntry {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  npmRebuild: boolean;
  directories: { buildResources: string };
  mac: { icon: string; target: TargetEntry[]; entitlements?: string; entitlementsInherit?: string; hardenedRuntime?: boolean };
  win: { icon: string; target: TargetEntry[] };
  linux: { icon: string; target: TargetEntry[] };
  publish?: unknown;
  afterPack?: string;
  [key: string]: unknown;
}

// @electron/fuses' constants (its index does not re-export them).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) };

const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("is valid against app-builder-lib's scheme.json", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    // electron-builder validates with ajv too; its schema uses draft-07 and some non-standard keywords.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would notice a wrong key (the check itself works)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ ...config, mac: { ...config.mac, target: 'dmgg' } })).toBe(false);
    expect(validate({ ...config, artifactNam: 'x' })).toBe(false);
  });

  it('names only files that exist (icons, the tray images, the example server)', () => {
    const named = [config.mac.icon, config.win.icon, config.linux.icon, 'resources/example-server.mjs', config.directories.buildResources];
    named.push(config.mac.entitlements ?? 'mac.entitlements', config.afterPack ?? 'afterPack', 'scripts/bundle-example-server.mjs');
    for (const path of named) expect(existsSync(join(root, path)), path).toBe(true);
    // Every literal path in `files` outside dist/ (which the build makes) exists; globs must match something.
    for (const pattern of config.files.filter((entry) => !entry.startsWith('!') && !entry.startsWith('dist/'))) {
      const directory = pattern.includes('*') ? pattern.slice(0, pattern.lastIndexOf('/')) : pattern;
      expect(existsSync(join(root, directory)), pattern).toBe(true);
    }
    for (const file of ['tray/tray-runningTemplate.png', 'tray/tray-failing.ico', 'tray/tray-stopped.png'])
      expect(existsSync(join(root, 'resources', file))).toBe(true);
    // The entry point is what the build emits for main/electron/main.ts.
    expect(config.extraMetadata.main).toBe('dist/main/electron/main.js');
    expect(existsSync(join(root, 'main/electron/main.ts'))).toBe(true);
  });

  it('builds dmg (x64, arm64), nsis (x64), AppImage and deb (x64)', () => {
    const targets = (entries: TargetEntry[]) => entries.map((entry) => `${entry.target}:${entry.arch.join('+')}`);
    expect(targets(config.mac.target)).toEqual(['dmg:x64+arm64']);
    expect(targets(config.win.target)).toEqual(['nsis:x64']);
    expect(targets(config.linux.target)).toEqual(['AppImage:x64', 'deb:x64']);
  });

  it('rebuilds better-sqlite3 for Electron and keeps it out of the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*');
  });

  it("unpacks the bundled example server, which the user's node runs from outside the asar", () => {
    expect(config.files).toContain('dist/example-server/example-server.mjs');
    expect(config.asarUnpack).toContain('dist/example-server/example-server.mjs');
  });

  it('publishes nothing and writes no app-update.yml: publish is explicitly null, even with a GitHub token set', async () => {
    expect(config.publish).toBeNull();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/electron-builder .*--publish never/);
    // electron-builder's own resolution (the one behind app-update.yml and uploads), not a reading of ours.
    const { getPublishConfigs } = require('app-builder-lib/out/publish/PublishManager') as {
      getPublishConfigs: (packager: object, target: null, arch: null, errorIfCannot: boolean) => Promise<unknown>;
    };
    vi.stubEnv('GH_TOKEN', 'a-token');
    try {
      for (const platform of [config.mac, config.win, config.linux])
        expect(await getPublishConfigs({ platformSpecificBuildOptions: platform, config, info: {} }, null, null, false)).toBeNull();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('macOS entitlements', () => {
  it("are the app's own file, for the app and its helpers: JIT only, no disable-library-validation", () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('resources/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    const plist = readFileSync(join(root, config.mac.entitlements!), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual(['com.apple.security.cs.allow-jit']);
  });
});

/** A stand-in for Electron's binary: the fuse wire as Electron lays it out (sentinel, version 1, length, states). */
function fakeElectronBinary(states: string): Buffer {
  return Buffer.concat([
    Buffer.alloc(64, 7),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, states.length]),
    Buffer.from(states, 'ascii'),
    Buffer.alloc(64, 7),
  ]);
}

describe('fuses (the afterPack hook)', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'mcp-orch-fuses-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const expected = {
    [FuseV1Options.RunAsNode]: FuseState.DISABLE,
    [FuseV1Options.EnableCookieEncryption]: FuseState.ENABLE,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
    [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
    [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FuseState.DISABLE,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.DISABLE,
  };

  it('is wired into electron-builder.yml, as the hook module', async () => {
    expect(config.afterPack).toBe('./scripts/electron-fuses.mjs');
    const hook = (await import(pathToFileURL(join(root, config.afterPack!)).href)) as { default: unknown };
    expect(hook.default).toBe(afterPack);
    // As electron-builder itself loads it (package.json's type decides import() over require()).
    const { resolveFunction } = require('app-builder-lib/out/util/resolve') as {
      resolveFunction: (type: string, executor: string, name: string) => Promise<unknown>;
    };
    // electron-builder resolves the relative path from the project folder, where it runs.
    const resolved = await resolveFunction('module', join(root, config.afterPack!), 'afterPack');
    expect(typeof resolved).toBe('function');
    expect((resolved as { name: string }).name).toBe('afterPack');
  });

  // Electron's defaults: RunAsNode, cookie encryption off, NODE_OPTIONS, --inspect on, integrity off,
  // asar-only off, snapshot off, file privileges on; a ninth fuse newer than @electron/fuses 1.8.
  const DEFAULTS = '101100011';
  const context = (platform: string, arch = 1) => ({
    electronPlatformName: platform,
    appOutDir: out,
    arch,
    packager: { appInfo: { productFilename: 'MCP Orch' }, executableName: 'mcp-orch' },
  });

  it.each([
    ['linux', 'mcp-orch'],
    ['win32', 'MCP Orch.exe'],
    ['darwin', 'MCP Orch.app/Contents/Frameworks/Electron Framework.framework/Electron Framework'],
  ])('on %s flips every fuse in the binary where electron-builder put it, and leaves newer ones alone', async (platform, file) => {
    const binary = join(out, file);
    await mkdir(dirname(binary), { recursive: true });
    await writeFile(binary, fakeElectronBinary(DEFAULTS));
    await afterPack(context(platform));
    const wire = await getCurrentFuseWire(electronBinary(context(platform)));
    const { version, ...states } = wire as unknown as Record<string, unknown>;
    expect(version).toBe('1');
    expect(states).toEqual({ ...expected, 8: '1'.charCodeAt(0) });
  });

  it('sets each fuse the review asked for, and says so in the config object', () => {
    expect(FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });
});
