// `npm run security:electron`, part of `npm test`: runs Doyensec's Electronegativity over the
// desktop shell's sources (main/electron, preload, renderer; not their tests) and fails on any
// finding that security/electronegativity-baseline.json does not explain. How to read and extend
// the baseline: docs/desktop.md, "Electronegativity".
//
// - The sources are copied to a temporary folder first: the tool scans one folder, and its global
//   checks (navigation limits, permission handler, CSP) must see the three parts together.
// - TypeScript is read by the tool's Babel parser (the repo's @babel/parser); a file it cannot
//   parse fails the run, since a file it skipped is a file nobody checked.
// - Offline and repeatable: the Electron version is the locked one (the tool would guess from a
//   package.json), the check that downloads Electron's release list is left out (it says whether a
//   newer Electron exists, not anything about this code), and its translation download is answered
//   "unavailable" at once, so it uses its bundled English strings.
import Module, { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareWithBaseline, readBaseline, reportComparison } from './electronegativity-baseline.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** What the shell is made of, as the app ships it. */
export const SCANNED = ['main/electron', 'preload', 'renderer'];
export const BASELINE = 'security/electronegativity-baseline.json';
/** Checks left out, by class name: see above. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** The file kinds the tool reads. */
const EXTENSIONS = /\.(js|jsx|mjs|cjs|ts|tsx|html|htm)$/;
/** Tests and their fixtures do not ship. */
const NOT_SHIPPED = /(\.test\.tsx?$|(^|\/)__fixtures__\/|^renderer\/test\/)/;

/** The files of `dirs` (relative to `base`, with `/`) that the scan covers. */
export function shippedSources(base, dirs = SCANNED) {
  const files = [];
  for (const dir of dirs) {
    for (const name of readdirSync(join(base, dir), { recursive: true })) {
      const file = `${dir}/${String(name).split(sep).join('/')}`;
      if (EXTENSIONS.test(file) && !NOT_SHIPPED.test(file) && !file.includes('node_modules/')) files.push(file);
    }
  }
  return files.sort();
}

/** The Electron version package-lock.json installs. */
export function lockedElectronVersion(base = root) {
  const lock = JSON.parse(readFileSync(join(base, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.['node_modules/electron']?.version;
  if (typeof version !== 'string') throw new Error('package-lock.json locks no electron version');
  return version;
}

/** Loads the tool with its only network use (`got`) answering "unavailable". */
function loadTool() {
  const entry = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(entry).resolve('got');
  const offline = new Module(gotPath);
  offline.filename = gotPath;
  offline.loaded = true;
  offline.exports = () => Promise.reject(new Error('electronegativity runs offline here'));
  require.cache[gotPath] = offline;
  return require(entry);
}

/**
 * Runs the tool over `files` (relative to `base`) and answers its findings as
 * `{ check, file, code, line, severity, confidence, description }` and the files it could not parse.
 */
export async function scan({ base = root, files = shippedSources(base), electronVersion = lockedElectronVersion(base) } = {}) {
  const run = loadTool();
  const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  const log = console.log;
  try {
    for (const file of files) {
      mkdirSync(dirname(join(stage, file)), { recursive: true });
      copyFileSync(join(base, file), join(stage, file));
    }
    // The tool prints that its translations could not be fetched; that is intended here.
    console.log = (...args) => {
      if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
    };
    const result = await run({
      input: stage,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: EXCLUDED_CHECKS,
    });
    const findings = result.issues.map((issue) => ({
      check: issue.id,
      file: issue.file.split(sep).join('/'),
      code: typeof issue.sample === 'string' ? issue.sample.trim() : '',
      line: issue.location.line,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      description: issue.description,
    }));
    const unparsed = result.errors
      .filter((error) => !error.tolerable)
      .map((error) => ({
        file: error.file
          .slice(stage.length + 1)
          .split(sep)
          .join('/'),
        message: error.message,
      }));
    return { findings, unparsed, scanned: files.length };
  } finally {
    console.log = log;
    rmSync(stage, { recursive: true, force: true });
  }
}

async function main() {
  const entries = readBaseline(JSON.parse(readFileSync(join(root, BASELINE), 'utf8')));
  const { findings, unparsed, scanned } = await scan();
  for (const { file, message } of unparsed) console.error(`electronegativity: could not parse ${file}: ${message}`);
  const { ok, lines } = reportComparison(compareWithBaseline(findings, entries), BASELINE);
  for (const line of lines) (ok ? console.log : console.error)(line);
  console.log(`electronegativity: ${scanned} files of ${SCANNED.join(', ')} scanned.`);
  if (!ok || unparsed.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
