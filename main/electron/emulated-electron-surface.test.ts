/**
 * The emulated desktop's Electron surface (__fixtures__/emulated-electron/surface.ts) against what
 * the app uses: main.ts and the preload type-check with `electron` mapped to the surface
 * (tsconfig.surface.json, with Electron's own module declaration set aside), and a
 * use of a method the surface lacks, or a wrong argument to one it has (its types are Electron's),
 * does not. So main.ts cannot start using something the e2e `desktop` project does not emulate.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('./__fixtures__/emulated-electron/tsconfig.surface.json', import.meta.url));
const PROBE = join(dirname(CONFIG), 'surface-probe.ts');
const PROBE_TEXT = `import { app, BrowserWindow, ipcRenderer } from 'electron';
app.getGPUFeatureStatus();
new BrowserWindow({}).webContents.openDevTools();
ipcRenderer.sendSync('orch:invoke');
app.getPath('nowhere');
`;

describe('the emulated Electron surface', () => {
  it('covers everything main.ts and the preload use, and nothing else', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      CONFIG,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (!parsed) throw new Error(`${CONFIG} could not be read`);
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.fileExists = (path) => path === PROBE || fileExists(path);
    host.readFile = (path) => (path === PROBE ? PROBE_TEXT : readFile(path));
    host.getSourceFile = (path, language, ...rest) => {
      if (path === PROBE) return ts.createSourceFile(path, PROBE_TEXT, language);
      // Electron's typings declare the module 'electron' themselves, and an ambient module wins over
      // `paths`: it is renamed here, so the name leads to the surface and only the types remain.
      if (path.endsWith('/electron/electron.d.ts')) {
        const text = readFile(path)?.replace("declare module 'electron' {", "declare module 'electron-full-typings' {");
        if (text === undefined || !text.includes('electron-full-typings')) throw new Error(`${path}: no module 'electron' declared`);
        return ts.createSourceFile(path, text, language);
      }
      return getSourceFile(path, language, ...rest);
    };
    const program = ts.createProgram([...parsed.fileNames, PROBE], parsed.options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
      file: diagnostic.file?.fileName,
      line:
        diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    }));
    expect(diagnostics.filter((diagnostic) => diagnostic.file !== PROBE)).toEqual([]);
    const probe = diagnostics.filter((diagnostic) => diagnostic.file === PROBE);
    expect(probe.map((diagnostic) => diagnostic.line)).toEqual([2, 3, 4, 5]);
    expect(probe[0]?.message).toMatch(/Property 'getGPUFeatureStatus' does not exist/);
    expect(probe[1]?.message).toMatch(/Property 'openDevTools' does not exist/);
    expect(probe[2]?.message).toMatch(/Property 'sendSync' does not exist/);
    expect(probe[3]?.message).toMatch(/'"nowhere"' is not assignable/);
  }, 180_000);
});
