/**
 * `npm run security:electron` (scripts/electronegativity.mjs): the baseline comparison (a new
 * finding fails, a baselined one passes wherever its line moved, a stale entry is reported, an
 * entry must say why), the real tool on a small shell with a known hole, and the Content-Security-
 * Policy the tool cannot see (a response header) put through the tool's own CSP evaluator.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareWithBaseline, readBaseline, reportComparison, type Finding } from '../../scripts/electronegativity-baseline.mjs';
import { BASELINE, lockedElectronVersion, scan, shippedSources } from '../../scripts/electronegativity.mjs';
import { CONTENT_SECURITY_POLICY } from './window-policy.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: 'SANDBOX_JS_CHECK',
    file: 'main/electron/main.ts',
    code: 'createWindow: (options) => new BrowserWindow(options),',
    line: 87,
    severity: 'MEDIUM',
    confidence: 'FIRM',
    description: 'Use sandbox for untrusted origins',
    ...overrides,
  };
}

const WHY = 'The options come from MainWindow, whose type only admits sandbox: true.';

describe('the baseline comparison', () => {
  it('passes a baselined finding, wherever its line has moved to', () => {
    const entries = readBaseline({
      findings: [{ check: 'SANDBOX_JS_CHECK', file: 'main/electron/main.ts', code: finding().code, why: WHY }],
    });
    const comparison = compareWithBaseline([finding({ line: 140 })], entries);
    expect(comparison.fresh).toEqual([]);
    expect(comparison.stale).toEqual([]);
    expect(comparison.known).toHaveLength(1);
    expect(reportComparison(comparison, BASELINE).ok).toBe(true);
  });

  it('fails on a finding the baseline does not explain, and says where and how to add it', () => {
    const entries = readBaseline({
      findings: [{ check: 'SANDBOX_JS_CHECK', file: 'main/electron/main.ts', code: finding().code, why: WHY }],
    });
    const fresh = finding({
      check: 'CONTEXT_ISOLATION_JS_CHECK',
      file: 'main/electron/extra-window.ts',
      code: 'new BrowserWindow({})',
      line: 12,
    });
    const comparison = compareWithBaseline([finding(), fresh], entries);
    expect(comparison.fresh).toEqual([fresh]);
    const { ok, lines } = reportComparison(comparison, BASELINE);
    expect(ok).toBe(false);
    expect(lines.join('\n')).toContain('CONTEXT_ISOLATION_JS_CHECK (MEDIUM, FIRM) at main/electron/extra-window.ts:12');
    expect(lines.join('\n')).toContain('"file":"main/electron/extra-window.ts","code":"new BrowserWindow({})"');
  });

  it('counts each entry once: the same line twice in a file is a new finding', () => {
    const entries = readBaseline({
      findings: [{ check: 'SANDBOX_JS_CHECK', file: 'main/electron/main.ts', code: finding().code, why: WHY }],
    });
    const comparison = compareWithBaseline([finding(), finding({ line: 120 })], entries);
    expect(comparison.fresh).toEqual([finding({ line: 120 })]);
  });

  it('treats an edited line as new and its old entry as stale, reported without failing', () => {
    const entries = readBaseline({
      findings: [{ check: 'SANDBOX_JS_CHECK', file: 'main/electron/main.ts', code: finding().code, why: WHY }],
    });
    const edited = finding({ code: 'createWindow: (options) => new BrowserWindow({ ...options, sandbox: false }),' });
    const comparison = compareWithBaseline([edited], entries);
    expect(comparison.fresh).toEqual([edited]);
    expect(comparison.stale).toEqual(entries);

    const onlyStale = compareWithBaseline([], entries);
    const report = reportComparison(onlyStale, BASELINE);
    expect(report.ok).toBe(true);
    expect(report.lines.join('\n')).toContain('1 baseline entry no longer found');
  });

  it('refuses a baseline entry that does not say why', () => {
    const entry = { check: 'SANDBOX_JS_CHECK', file: 'main/electron/main.ts', code: finding().code };
    expect(() => readBaseline({ findings: [{ ...entry, why: '' }] })).toThrow(/does not say why/);
    expect(() => readBaseline({ findings: [entry] })).toThrow(/no "why" string/);
    expect(() => readBaseline([])).toThrow(/"findings" array/);
  });

  it('reads the committed baseline: every entry explained', async () => {
    const entries = readBaseline(JSON.parse(await readFile(join(root, BASELINE), 'utf8')));
    expect(entries.length).toBeGreaterThan(0);
  });
});

describe('the scan', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'electronegativity-test-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  async function write(file: string, text: string): Promise<void> {
    await mkdir(dirname(join(base, file)), { recursive: true });
    await writeFile(join(base, file), text);
  }

  it('finds a window without isolation in modern TypeScript, skips tests, and names a file it cannot parse', async () => {
    await write(
      'main/electron/window.ts',
      [
        "import { BrowserWindow } from 'electron';",
        'const size = { width: 800, height: 600 } as const satisfies Record<string, number>;',
        'export const open = (): BrowserWindow =>',
        '  new BrowserWindow({ ...size, webPreferences: { contextIsolation: false, sandbox: true } });',
        '',
      ].join('\n'),
    );
    await write('main/electron/window.test.ts', 'new BrowserWindow({ webPreferences: { contextIsolation: false } });\n');
    await write('preload/broken.ts', 'export const = ;\n');
    await write('renderer/index.html', '<!doctype html><html><head></head><body></body></html>\n');

    const files = shippedSources(base);
    expect(files).toEqual(['main/electron/window.ts', 'preload/broken.ts', 'renderer/index.html']);
    const { findings, unparsed } = await scan({ base, files, electronVersion: lockedElectronVersion() });

    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'CONTEXT_ISOLATION_JS_CHECK',
        file: 'main/electron/window.ts',
        line: 4,
        code: 'new BrowserWindow({ ...size, webPreferences: { contextIsolation: false, sandbox: true } });',
      }),
    );
    expect(findings.filter((f) => f.check === 'SANDBOX_JS_CHECK')).toEqual([]);
    expect(findings.map((f) => f.file)).not.toContain('main/electron/window.test.ts');
    expect(unparsed.map((u) => u.file)).toEqual(['preload/broken.ts']);
  });
});

describe('the Content-Security-Policy of app://orch', () => {
  // @doyensec/csp-evaluator ships no types: the part used here.
  interface CspFinding {
    severity: number;
    directive: string;
    value: string;
  }
  interface CspEvaluatorModule {
    CspParser: new (policy: string) => { csp: unknown };
    CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): CspFinding[] };
    Version: { CSP3: unknown };
    severities: Record<'HIGH' | 'SYNTAX' | 'MEDIUM' | 'HIGH_MAYBE' | 'MEDIUM_MAYBE', number>;
  }
  const csp = createRequire(import.meta.url)('@doyensec/csp-evaluator') as CspEvaluatorModule;

  it("has no weakness the tool's evaluator knows of, beyond script-src 'self' (the bundle only)", () => {
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const { HIGH, SYNTAX, MEDIUM, HIGH_MAYBE, MEDIUM_MAYBE } = csp.severities;
    expect(findings.filter((f) => [HIGH, SYNTAX, MEDIUM, HIGH_MAYBE].includes(f.severity))).toEqual([]);
    // "'self' can be problematic if you host JSONP, Angular or user uploaded files": app://orch serves the built bundle only.
    expect(findings.filter((f) => f.severity === MEDIUM_MAYBE).map((f) => `${f.directive} ${f.value}`)).toEqual(["script-src 'self'"]);
  });

  it('is caught by the evaluator when it weakens', () => {
    const weakened = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    const findings = new csp.CspEvaluator(new csp.CspParser(weakened).csp, csp.Version.CSP3).evaluate();
    expect(findings.some((f) => f.severity === csp.severities.HIGH || f.severity === csp.severities.MEDIUM)).toBe(true);
  });
});
