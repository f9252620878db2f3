/**
 * main.ts itself, the one file bound to the real Electron, run under plain Node with `electron`
 * replaced by the fake of __fixtures__/fake-electron.mjs: the real composition, the real core on
 * a real config with the example server. It checks the wiring the unit tests cannot: the window
 * it makes, the tray it shows, the core it starts, and that Quit leaves no server running.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Report = { what: string } & Record<string, unknown>;

/** Process ids whose command line holds `marker`. */
function processesWith(marker: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'))
    .map((line) => line.trim().split(/\s+/)[0]!);
}

/** Starts main.ts under the fake electron with `env` over the test's own; `waitFor` resolves with the first matching report. */
function launch(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './main/electron/__fixtures__/fake-electron-register.mjs', 'main/electron/main.ts'],
    {
      cwd: root,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'MCP_ORCH_CONFIG')), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const reports: Report[] = [];
  const output = { stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (!line.startsWith('FAKE_ELECTRON ')) return;
    const report = JSON.parse(line.slice('FAKE_ELECTRON '.length)) as Report;
    reports.push(report);
    lines.emit('report', report);
  });
  /** Resolves with the first report matching `match`, already seen or still to come. */
  const waitFor = (match: (report: Report) => boolean): Promise<Report> =>
    new Promise((resolve, reject) => {
      const seen = reports.find(match);
      if (seen) return resolve(seen);
      const onLine = (report: Report) => {
        if (!match(report)) return;
        lines.off('report', onLine);
        resolve(report);
      };
      lines.on('report', onLine);
      void exited.then((code) => reject(new Error(`main.ts exited (${code}) first; stderr: ${output.stderr}`)));
    });
  return { child, reports, output, exited, waitFor };
}

// POSIX only: it looks for leftover servers with `ps -eo`, which Windows does not have.
describe.skipIf(process.platform === 'win32')('main.ts under a fake electron', () => {
  let dir: string;
  const marker = `smoke-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-orch-smoke-'));
    await mkdir(join(dir, 'home'));
    const config = {
      mcpServers: { example: { command: process.execPath, args: [join(root, 'resources', 'example-server.mjs'), marker] } },
      orch: { port: 0 },
    };
    await writeFile(join(dir, 'home', 'mcp-config.json'), JSON.stringify(config));
    // The login shell's profile moves the core's home: the app's own environment points elsewhere.
    await writeFile(join(dir, '.profile'), `export MCP_ORCH_HOME='${join(dir, 'home')}'\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the locked-down window, shows the tray, starts the core, and quits leaving no server behind', async () => {
    const { child, reports, exited, waitFor } = launch({
      HOME: dir,
      MCP_ORCH_HOME: join(dir, 'not-the-core-home'),
      FAKE_ELECTRON_USER_DATA: join(dir, 'user-data'),
      SHELL: '/bin/sh',
    });
    try {
      const window = await waitFor((report) => report.what === 'window');
      expect(window.webPreferences).toEqual({
        preload: join(root, 'dist', 'preload', 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      });
      expect(await waitFor((report) => report.what === 'load')).toMatchObject({ url: 'app://orch/' });
      expect(reports.find((report) => report.what === 'protocol')).toMatchObject({ scheme: 'app' });
      expect(reports.find((report) => report.what === 'trayImage')).toMatchObject({
        path: join(root, 'resources', 'tray', 'tray-running.png'),
      });

      // The core starts on the config with the example server, and the tray follows it through the operations layer.
      const outcome = await waitFor(
        (report) => report.what === 'dialog' || (report.what === 'tooltip' && String(report.text).includes('1 running')),
      );
      expect(outcome).toMatchObject({ what: 'tooltip', text: expect.stringContaining('1 running · proxy mode') as unknown });

      // The example server ran (its log has the start), and was stopped with the core.
      expect(await readFile(join(dir, 'home', 'logs', 'example.log'), 'utf8')).toMatch(/started .*\(pid \d+\)/);

      // No default menu (Reload, DevTools): none on Linux and Windows, a minimal one on macOS.
      const menu = reports.find((report) => report.what === 'applicationMenu');
      expect(menu).toBeDefined();
      if (process.platform === 'darwin') expect(JSON.stringify(menu)).not.toMatch(/toggleDevTools|reload/i);
      else expect(menu?.menu).toBeNull();

      // The tray opens the config and logs the core uses (the login shell's MCP_ORCH_HOME, not the app's).
      child.stdin.write('tray Open config file\ntray Open logs folder\n');
      expect(await waitFor((report) => report.what === 'openPath')).toMatchObject({ path: join(dir, 'home', 'mcp-config.json') });
      expect(await waitFor((report) => report.what === 'openPath' && report.path !== join(dir, 'home', 'mcp-config.json'))).toMatchObject({
        path: join(dir, 'home', 'logs'),
      });

      // A web contents made after start is guarded too: it cannot navigate away or open a plain-http window.
      child.stdin.write('webcontents\n');
      expect(await waitFor((report) => report.what === 'laterContents')).toEqual({
        what: 'laterContents',
        navigation: 'prevented',
        windowOpen: 'deny',
      });
      expect(reports.filter((report) => report.what === 'openExternal')).toEqual([
        { what: 'openExternal', url: 'https://evil.example/away' },
      ]);

      child.stdin.write('quit\n');
      expect(await exited).toBe(0);
      expect(reports.filter((report) => report.what === 'quit').at(-1)).toMatchObject({ prevented: false });
      expect(processesWith(marker)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  // A profile that fails while a job it started holds the shell's output used to stall the read for
  // good: the core never started and Quit never finished. Now the read gives up after its deadline.
  it("starts the core with the app's own environment when the login shell's profile fails and leaves a job behind", async () => {
    const shellHome = join(dir, 'failing-profile');
    await mkdir(shellHome);
    await writeFile(join(shellHome, '.profile'), 'sleep 90 &\nexit 1\n');
    const { child, exited, output, waitFor } = launch({
      HOME: shellHome,
      MCP_ORCH_HOME: join(dir, 'home'),
      FAKE_ELECTRON_USER_DATA: join(dir, 'user-data-2'),
      SHELL: '/bin/sh',
    });
    try {
      const outcome = await waitFor(
        (report) => report.what === 'dialog' || (report.what === 'tooltip' && String(report.text).includes('1 running')),
      );
      expect(outcome).toMatchObject({ what: 'tooltip' });
      expect(output.stderr).toContain(
        "mcp-orch: login shell not read: /bin/sh exited with code 1 before printing its environment, and a job it started kept its output open past 3000 ms; the core runs with the app's own environment",
      );
      child.stdin.write('quit\n');
      expect(await exited).toBe(0);
      expect(processesWith(marker)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
