/**
 * The `desktop` project's fixture: the REAL main/electron/main.ts in its own Node process, with the
 * emulated `electron` of main/electron/__fixtures__/emulated-electron (its Chromium, the real
 * app:// handler, the real preload bundle, IPC to the real ipcMain handlers). The test reads the
 * app's reports (`FAKE_ELECTRON <json>` lines), gives commands on its stdin, and drives the window's
 * page over CDP. Each test has its own folder (HOME, MCP_ORCH_HOME with a port-0 config, user data);
 * every process whose command line names that folder is killed in teardown, pass or fail.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, expect, type Browser, type Page } from '@playwright/test';
import type { ServerConfig } from '../../shared/config.js';
import { chromiumLaunchOptions } from '../chromium.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the emulation puts a window's page instead of app://orch (see browser-host.ts). */
export const STAND_IN_ORIGIN = 'http://orch.app.localhost';

export type Report = { what: string } & Record<string, unknown>;

export interface LaunchOptions {
  /** A login shell that takes this long (`sleep` before it runs): the core starts that much later. */
  slowShellSeconds?: number;
  /** The user-data folder's name under the test's folder (a second instance shares the first's). */
  userData?: string;
}

export interface RunningApp {
  child: ChildProcessWithoutNullStreams;
  reports: Report[];
  stderr(): string;
  /** Resolves with the first report (from index `from` on) that matches; rejects if the app exits first. */
  waitFor(match: (report: Report) => boolean, from?: number): Promise<Report>;
  /** A line on the app's stdin: `quit`, `close`, `tray <label>`. */
  command(line: string): void;
  /** Clicks the tray item `label` once it is there and enabled (each new menu is tried again). */
  tray(label: string): Promise<void>;
  exited: Promise<number | null>;
  /** The window's page, over CDP (waits for the window to load its page). */
  page(): Promise<Page>;
}

export interface Desktop {
  /** The test's folder: HOME, the core's home (`home/`), user data, fixture files. */
  dir: string;
  /** The servers of the core's config; call before `launch`. Default: the example server. */
  configure(servers: Record<string, ServerConfig>): Promise<void>;
  launch(options?: LaunchOptions): RunningApp;
}

/** Live (not zombie) processes as `ps` lists them: pid and command line. */
export function liveProcesses(): { pid: number; args: string }[] {
  const table = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return table.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match || match[2]!.startsWith('Z') || match[3]!.startsWith('ps -eo')) return [];
    return [{ pid: Number(match[1]), args: match[3]! }];
  });
}

/** Pids of live processes whose command line contains `text`. */
export function processesWith(text: string): number[] {
  return liveProcesses()
    .filter((process) => process.args.includes(text))
    .map((process) => process.pid);
}

function start(dir: string, options: LaunchOptions, browsers: Browser[]): RunningApp {
  const shell = options.slowShellSeconds === undefined ? '/bin/sh' : join(dir, 'slow-shell');
  const env: Record<string, string> = {
    ...(Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MCP_ORCH_'))) as Record<string, string>),
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    MCP_ORCH_HOME: join(dir, 'home'),
    FAKE_ELECTRON_USER_DATA: join(dir, options.userData ?? 'user-data'),
    SHELL: shell,
    SLOW_SHELL_SECONDS: String(options.slowShellSeconds ?? 0),
    // The suite's Chromium and flags (e2e/chromium.mjs), for the app's emulated Electron to launch.
    EMULATED_ELECTRON_CHROMIUM: JSON.stringify(chromiumLaunchOptions()),
  };
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './main/electron/__fixtures__/emulated-electron/register.mjs',
      'main/electron/main.ts',
      `--test-dir=${dir}`,
    ],
    { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  const reports: Report[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (!line.startsWith('FAKE_ELECTRON ')) return;
    const report = JSON.parse(line.slice('FAKE_ELECTRON '.length)) as Report;
    reports.push(report);
    lines.emit('report', report);
  });
  const waitFor = (match: (report: Report) => boolean, from = 0): Promise<Report> =>
    new Promise((resolve, reject) => {
      const seen = reports.slice(from).find(match);
      if (seen) return resolve(seen);
      const onReport = (report: Report) => {
        if (!match(report)) return;
        lines.off('report', onReport);
        resolve(report);
      };
      lines.on('report', onReport);
      void exited.then((code) => reject(new Error(`main.ts exited (${code}) first; stderr:\n${stderr}`)));
    });
  let page: Promise<Page> | undefined;
  const command = (line: string) => void child.stdin.write(`${line}\n`);
  const tray = async (label: string): Promise<void> => {
    for (;;) {
      const from = reports.length;
      command(`tray ${label}`);
      const outcomes = ['trayClick', 'trayItemDisabled', 'noTrayItem'];
      const outcome = await waitFor((report) => outcomes.includes(report.what) && report.label === label, from);
      if (outcome.what === 'trayClick') return;
      await waitFor((report) => report.what === 'menu', reports.indexOf(outcome) + 1);
    }
  };
  return {
    child,
    reports,
    stderr: () => stderr,
    waitFor,
    command,
    tray,
    exited,
    page() {
      page ??= (async () => {
        const ready = await waitFor((report) => report.what === 'ready');
        const browser = await chromium.connectOverCDP(String(ready.cdp));
        browsers.push(browser);
        await waitFor((report) => report.what === 'loaded');
        const found = browser
          .contexts()
          .flatMap((context) => context.pages())
          .find((candidate) => candidate.url().startsWith(STAND_IN_ORIGIN));
        if (!found) throw new Error('the window has no page on the app origin');
        return found;
      })();
      return page;
    },
  };
}

export const test = base.extend<{ desktop: Desktop }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern.
  desktop: async ({}, use, testInfo) => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-orch-desktop-'));
    await mkdir(join(dir, 'home'));
    // A login shell that takes its time, then is a real one (the core's start waits for it).
    await writeFile(join(dir, 'slow-shell'), `#!/bin/sh\nsleep "\${SLOW_SHELL_SECONDS:-2}"\nexec /bin/sh "$@"\n`);
    await chmod(join(dir, 'slow-shell'), 0o755);
    const apps: RunningApp[] = [];
    const browsers: Browser[] = [];
    const desktop: Desktop = {
      dir,
      async configure(servers) {
        await writeFile(join(dir, 'home', 'mcp-config.json'), JSON.stringify({ mcpServers: servers, orch: { port: 0 } }, null, 2));
      },
      launch(options = {}) {
        const app = start(dir, options, browsers);
        apps.push(app);
        return app;
      },
    };
    await desktop.configure({
      example: { command: process.execPath, args: [join(ROOT, 'resources', 'example-server.mjs'), `--test-dir=${dir}`] },
    });
    await use(desktop);
    if (testInfo.status !== testInfo.expectedStatus) {
      // What the app reported and logged, for the failure's report.
      for (const [index, app] of apps.entries()) {
        const text = `${app.reports.map((report) => JSON.stringify(report)).join('\n')}\n--- stderr ---\n${app.stderr()}`;
        await writeFile(testInfo.outputPath(`app-${index + 1}.log`), text);
      }
    }
    for (const browser of browsers) await browser.close().catch(() => undefined);
    for (const app of apps) {
      try {
        if (app.child.pid !== undefined) process.kill(-app.child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    // Servers run in their own process groups, Chromium in the app's: whatever still names the folder goes.
    for (const pid of processesWith(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    await rm(dir, { recursive: true, force: true });
  },
});

export { expect };
