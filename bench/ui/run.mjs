#!/usr/bin/env node
// The dashboard's speed with 50 servers and 5,000 tools (bench/ui/README.md):
//   - time to an interactive Overview: navigation start to the page's `orch:overview-ready` mark
//     (every server card rendered from live data): the first load after the daemon started, reloads
//     (warm), and loads in a new browser context each (cold: no HTTP cache, no compiled code);
//   - time to filter the catalog: a search typed into the Tools page, to the next frame after the
//     list shows the result (performance marks in the page);
//   - the initial JS, gzipped: the entry script and the chunks index.html preloads.
// It prints figures; it asserts nothing. Needs `npm run build` first (npm run bench:ui does it).
//
//   node bench/ui/run.mjs [--servers 50] [--tools 100] [--rounds 5] [--keep-omnibox-popup] [--json bench/results/ui-<commit>.json]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
/* global document, HTMLInputElement, MutationObserver, requestAnimationFrame, Event -- used inside page.evaluate, in the browser */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/chromium.mjs';
import { provenance, provenanceLine } from '../provenance.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(argv[at + 1]);
};
const SERVERS = option('servers', 50);
const TOOLS = option('tools', 100);
const ROUNDS = option('rounds', 5);
/** Leaves Chromium's address-bar popup on, as runs before e5af719 did (e2e/chromium.mjs says why it is off). */
const KEEP_OMNIBOX_POPUP = argv.includes('--keep-omnibox-popup');
const JSON_FILE = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
const TOKEN = 'bench-ui-token-0123456789abcdef';
const FIXTURE = join(ROOT, 'main/core/__fixtures__/many-tools.mjs');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (value) => `${value.toFixed(1)} ms`;

/** The gzipped size of the JS the first page load needs: the entry and what index.html preloads. */
async function initialJs() {
  const dist = join(ROOT, 'dist/renderer');
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  let raw = 0;
  let gzipped = 0;
  for (const file of files) {
    const bytes = await readFile(join(dist, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzipped };
}

/** Starts `mcp-orch serve` on a config of SERVERS × TOOLS; answers its URL once every server runs. */
async function startDaemon(home) {
  const configPath = join(home, 'mcp-config.json');
  const mcpServers = Object.fromEntries(
    Array.from({ length: SERVERS }, (_, i) => [
      `server-${String(i).padStart(2, '0')}`,
      { command: process.execPath, args: [FIXTURE, '--tools', String(TOOLS)] },
    ]),
  );
  await writeFile(configPath, JSON.stringify({ mcpServers }));
  const child = spawn(process.execPath, [join(ROOT, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0'], {
    env: { ...process.env, HOME: home, MCP_ORCH_HOME: home, MCP_ORCH_TOKEN: TOKEN, MCP_ORCH_LOGIN_SHELL_PATH: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the daemon exited with ${code}:\n${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const listening = /MCP Orch listening on (\S+)/.exec(output);
      if (listening && output.includes('Press Ctrl-C')) resolve(listening[1]);
    });
  });
  return { url, child };
}

async function main() {
  const meta = provenance(ROOT);
  console.log(`ui bench: ${provenanceLine(meta)}`);
  if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) throw new Error('build first: npm run build');
  const js = await initialJs();
  const home = await mkdtemp(join(tmpdir(), 'mcp-orch-bench-ui-'));
  const { url, child } = await startDaemon(home);
  const browser = await chromium.launch({
    ...chromiumLaunchOptions({ keepOmniboxPopup: KEEP_OMNIBOX_POPUP }),
  });
  try {
    const viewport = { width: 1440, height: 900 };
    const loadOverview = async (page) => {
      await page.goto(`${url}/?access_token=${TOKEN}`);
      await page.getByTestId(`server-card-server-${String(SERVERS - 1).padStart(2, '0')}`).waitFor();
      return page.evaluate(() => performance.getEntriesByName('orch:overview-ready')[0]?.startTime ?? Number.NaN);
    };
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const overview = [];
    for (let round = 0; round < ROUNDS; round++) overview.push(await loadOverview(page));
    const cold = [];
    for (let round = 0; round < ROUNDS; round++) {
      const fresh = await browser.newContext({ viewport });
      cold.push(await loadOverview(await fresh.newPage()));
      await fresh.close();
    }

    await page.goto(`${url}/tools`);
    await page
      .getByTestId('catalog-count')
      .filter({ hasText: `${(SERVERS * TOOLS).toLocaleString('en-US')} of` })
      .waitFor({ timeout: 60_000 });
    const queries = ['tool_42', 'server-17', 'number 4321', 'fixture tool', 'zzz-nothing', ''];
    const filter = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const query of queries) {
        filter.push(
          await page.evaluate(async (text) => {
            const input = document.querySelector('input[type=search]');
            const count = document.querySelector('[data-testid=catalog-count]');
            const before = count.textContent;
            const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
            const shown = new Promise((resolve) => {
              const observer = new MutationObserver(() => {
                if (count.textContent === before) return;
                observer.disconnect();
                requestAnimationFrame(() => resolve());
              });
              observer.observe(count, { childList: true, subtree: true, characterData: true });
            });
            performance.mark('bench:filter-start');
            setValue.call(input, text);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await shown;
            performance.mark('bench:filter-end');
            return performance.measure('bench:filter', 'bench:filter-start', 'bench:filter-end').duration;
          }, query),
        );
      }
    }
    console.log(
      `dashboard with ${SERVERS} servers and ${(SERVERS * TOOLS).toLocaleString('en-US')} tools (${ROUNDS} rounds; Chromium ${browser.version()}${KEEP_OMNIBOX_POPUP ? ', its address-bar popup on' : ''})`,
    );
    console.log(
      `  interactive Overview: first ${ms(overview[0])}, median ${ms(median(overview))}, max ${ms(Math.max(...overview))}   (target < 1000 ms)`,
    );
    console.log(`    in a new context:   median ${ms(median(cold))}, max ${ms(Math.max(...cold))}   (cold: no cache, no compiled code)`);
    console.log(
      `  filter the catalog:   median ${ms(median(filter))}, max ${ms(Math.max(...filter))} over ${filter.length} searches   (target < 100 ms)`,
    );
    console.log(
      `  initial JS:           ${(js.gzipped / 1024).toFixed(1)} KB gzipped (${(js.raw / 1024).toFixed(1)} KB raw, ${js.files.length} file(s))   (target <= 300 KB)`,
    );
    if (JSON_FILE) {
      await writeFile(
        JSON_FILE,
        JSON.stringify(
          {
            ...meta,
            chromium: browser.version(),
            omniboxPopup: KEEP_OMNIBOX_POPUP,
            servers: SERVERS,
            tools: TOOLS,
            rounds: ROUNDS,
            overviewMs: overview,
            coldOverviewMs: cold,
            filterMs: filter,
            initialJs: js,
          },
          null,
          2,
        ),
      );
      console.log(`raw figures written to ${JSON_FILE}`);
    }
  } finally {
    await browser.close();
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(home, { recursive: true, force: true });
  }
}

await main();
