/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib's scheme.json),
 * plus what the schema cannot know: every file it names exists, and the targets, native module
 * handling and update setting are what the app needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

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
  mac: { icon: string; target: TargetEntry[] };
  win: { icon: string; target: TargetEntry[] };
  linux: { icon: string; target: TargetEntry[] };
  publish?: unknown;
  [key: string]: unknown;
}

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

  it('has no publish target, so updates are off', () => {
    expect(config.publish).toBeUndefined();
  });
});
