// electron-builder's `afterPack` hook (electron-builder.yml): sets Electron's fuses in the packaged
// app's binary, before it is signed. electron-builder 25 has no `electronFuses` option (26 does).
// Fuses are bits compiled into the binary; Electron reads them before any app code runs, so neither
// the app nor whoever starts it can turn them back on. Checked by main/electron/builder-config.test.ts.
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/** Every fuse @electron/fuses 1.8 knows, set explicitly; the reasons are in docs/desktop.md too. */
export const FUSES = {
  // Off: `ELECTRON_RUN_AS_NODE=1 "MCP Orch"` would make the signed app a general Node runtime that
  // any local process can drive, with the app's keychain access. The app needs it nowhere: the
  // login shell prints its environment with `env -0`, the example server runs on the user's `node`.
  [FuseV1Options.RunAsNode]: false,
  // On: the cookie store is encrypted with the OS key (the one safeStorage already uses). The app
  // sets no cookies of its own; this only closes a place where a page's data would sit in clear.
  [FuseV1Options.EnableCookieEncryption]: true,
  // Off: NODE_OPTIONS (`--require evil.js`) would run code inside the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // Off: `--inspect`/`--inspect-brk` would open a debugger port into the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // On: app.asar is checked against the hash electron-builder writes into the app (Info.plist on
  // macOS, a resource on Windows; Linux has no support and ignores it), so it cannot be swapped.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // On: the app is loaded only from app.asar (which the fuse above protects), never from a loose
  // `app/` folder or package.json next to it. better-sqlite3's .node in app.asar.unpacked still loads.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Off (the default): the app ships no custom V8 snapshot.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Off: the dashboard is served on app://orch by protocol.handle (main/electron/app-protocol.ts);
  // nothing loads file://, so file pages need none of their legacy extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

// builder-util's Arch: 3 is arm64, 4 universal.
const ARM64_OR_UNIVERSAL = new Set([3, 4]);

/** The file holding the fuse wire in electron-builder's output folder, as @electron/fuses wants it named. */
export function electronBinary(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  await flipFuses(electronBinary(context), {
    version: FuseVersion.V1,
    // Not strict: Electron 40's wire may have fuses newer than @electron/fuses 1.8 names; those keep
    // Electron's defaults.
    strictlyRequireAllFuses: false,
    // Flipping a fuse breaks the ad-hoc signature an arm64 macOS binary must carry to start at all;
    // a real identity re-signs the app after this hook anyway.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && ARM64_OR_UNIVERSAL.has(context.arch),
    ...FUSES,
  });
}
