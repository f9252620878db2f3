#!/usr/bin/env node
// Batch benchmark: batch_execute of a real `mcp-orch serve --mode batch` daemon against the same
// calls made one by one over the SDK, the scheduler's throughput, and the tokens an agent spends.
// Everything on 127.0.0.1; every process in its own process group, killed at the end.
//
//   npm run build && node bench/batch/run.mjs            full run (~1 min)
//   node bench/batch/run.mjs --quick                     smoke run
//   node bench/batch/run.mjs --json /tmp/batch.json      every figure, for later comparison
//
// See bench/batch/README.md for what each figure means.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { tsImport } from 'tsx/esm/api';
import { killEverything, leftovers, startProcess } from '../proxy/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const ECHO_SERVER = join(repoRoot, 'main/core/mcp/__fixtures__/echo-server.mjs');
const BATCH_SERVER = join(repoRoot, 'main/core/batch/__fixtures__/batch-server.mjs');
const TOKEN = randomBytes(24).toString('hex');
const LISTENING = /MCP Orch listening on (http:\/\/127\.0\.0\.1:\d+)/;
const READY = /Press Ctrl-C to stop\./;
/** Upper bound of any single step (a call, a batch, the scheduler child). */
const STEP_TIMEOUT_MS = 120_000;

const PROFILES = {
  full: { repeats: 5, throughputCalls: 1000, throughputRepeats: 5, schedulerRepeats: 7 },
  quick: { repeats: 1, throughputCalls: 1000, throughputRepeats: 1, schedulerRepeats: 2 },
};

const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (options.help) {
  console.log('usage: node bench/batch/run.mjs [--quick] [--json <file>]');
  process.exit(0);
}
const profile = options.quick ? PROFILES.quick : PROFILES.full;

let scratchDir;
function cleanup() {
  killEverything();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(0)} ms`;
const int = (value) => Math.round(value).toLocaleString('en-US');
const log = (message) => process.stderr.write(`${message}\n`);

function withTimeout(promise, what, timeoutMs = STEP_TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
}

// ---------------------------------------------------------------- the daemon and its client

async function startDaemon() {
  const home = join(scratchDir, 'home');
  const configPath = join(home, 'mcp-config.json');
  await mkdir(home, { recursive: true });
  const config = {
    mcpServers: {
      echo: { command: process.execPath, args: [ECHO_SERVER, '--stdio'] },
      bf: { command: process.execPath, args: [BATCH_SERVER] },
    },
    orch: { mode: 'batch', batch: { approveAll: true } },
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const proc = startProcess({
    name: 'mcp-orch (batch)',
    command: process.execPath,
    args: [join(repoRoot, 'bin/mcp-orch.js'), 'serve', '--config', configPath, '--port', '0', '--host', '127.0.0.1', '--mode', 'batch'],
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      NODE_ENV: 'production',
      MCP_ORCH_HOME: home,
      MCP_ORCH_LOGIN_SHELL_PATH: '0',
      MCP_ORCH_TOKEN: TOKEN,
    },
  });
  const [, base] = await proc.waitForOutput(LISTENING, 30_000);
  await proc.waitForOutput(READY, 60_000);
  return { proc, base };
}

async function connect(base) {
  const client = new Client({ name: 'mcp-orch-bench-batch', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
  await client.connect(transport);
  return {
    client,
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** One tools/call with the SDK client, no client-side timeout shorter than the step bound. */
function call(client, name, args) {
  return withTimeout(client.callTool({ name, arguments: args }, undefined, { timeout: STEP_TIMEOUT_MS }), `tools/call ${name}`);
}

/** Runs a plan through batch_execute; returns the client-side wall time and the compact report. */
async function batch(client, plan) {
  const started = performance.now();
  const result = await call(client, 'batch_execute', plan);
  const wall = performance.now() - started;
  const report = result.structuredContent;
  if (result.isError || report?.status !== 'succeeded') {
    throw new Error(`batch_execute did not succeed: ${JSON.stringify(result).slice(0, 500)}`);
  }
  return { wall, report, result };
}

async function sequential(client, calls) {
  const started = performance.now();
  const results = [];
  for (const [name, args] of calls) {
    const result = await call(client, name, typeof args === 'function' ? args(results) : args);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result).slice(0, 300)}`);
    results.push(result);
  }
  return { wall: performance.now() - started, results };
}

// ---------------------------------------------------------------- (a) 20 independent 100 ms calls

async function benchIndependent(client) {
  const count = 20;
  const sleepMs = 100;
  const plan = { tasks: Array.from({ length: count }, (_, i) => ({ id: `s${i}`, tool: 'echo__sleep', arguments: { ms: sleepMs } })), maxConcurrency: count };
  const calls = plan.tasks.map((task) => [task.tool, task.arguments]);
  await batch(client, plan); // warm-up
  const seq = [];
  const bat = [];
  const engine = [];
  for (let round = 0; round < profile.repeats; round++) {
    seq.push((await sequential(client, calls)).wall);
    const run = await batch(client, plan);
    bat.push(run.wall);
    engine.push(run.report.wallTimeMs);
  }
  return { count, sleepMs, criticalPathMs: sleepMs, sequentialMs: median(seq), batchMs: median(bat), engineWallMs: median(engine), seq, bat };
}

// ---------------------------------------------------------------- (b) fan-out 10 → join → fan-out 5

/** Durations of typical remote API calls (ms), deterministic so every run benches the same DAG. */
const FAN1 = [120, 85, 240, 60, 180, 310, 95, 150, 205, 70];
const JOIN_MS = 45;
const FAN2 = [130, 90, 220, 160, 75];

function dagPlan() {
  const tasks = FAN1.map((ms, i) => ({ id: `fetch${i}`, tool: 'bf__slow', arguments: { label: `page-${i}`, ms } }));
  tasks.push({
    id: 'join',
    tool: 'bf__slow',
    arguments: { label: `summary of ${FAN1.map((_, i) => `{{fetch${i}.text}}`).join(',')}`, ms: JOIN_MS },
  });
  FAN2.forEach((ms, i) => tasks.push({ id: `post${i}`, tool: 'bf__slow', arguments: { label: `post ${i} <{{join.text}}>`, ms } }));
  return { tasks, maxConcurrency: 16 };
}

/** The same calls one by one, the client doing the substitution the references do in the plan. */
function dagCalls() {
  const calls = FAN1.map((ms, i) => ['bf__slow', { label: `page-${i}`, ms }]);
  const textOf = (result) => result.content.map((item) => item.text).join('\n');
  calls.push(['bf__slow', (results) => ({ label: `summary of ${results.slice(0, FAN1.length).map(textOf).join(',')}`, ms: JOIN_MS })]);
  FAN2.forEach((ms, i) => calls.push(['bf__slow', (results) => ({ label: `post ${i} <${textOf(results[FAN1.length])}>`, ms })]));
  return calls;
}

async function benchDag(client) {
  const plan = dagPlan();
  const calls = dagCalls();
  const criticalPathMs = Math.max(...FAN1) + JOIN_MS + Math.max(...FAN2);
  const sumMs = FAN1.reduce((a, b) => a + b, 0) + JOIN_MS + FAN2.reduce((a, b) => a + b, 0);
  await batch(client, plan); // warm-up
  const seq = [];
  const bat = [];
  let checked = false;
  for (let round = 0; round < profile.repeats; round++) {
    const one = await sequential(client, calls);
    seq.push(one.wall);
    const run = await batch(client, plan);
    bat.push(run.wall);
    if (!checked) {
      // Both ways must give the same answers: the references really carried the results.
      const want = one.results.map((result) => result.content[0].text);
      const got = run.report.tasks.map((task) => task.text);
      if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`DAG results differ:\n${want.join('\n')}\nvs\n${got.join('\n')}`);
      checked = true;
    }
  }
  return { tasks: plan.tasks.length, criticalPathMs, sumMs, sequentialMs: median(seq), batchMs: median(bat), seq, bat };
}

// ---------------------------------------------------------------- (c) throughput

async function benchScheduler() {
  const proc = startProcess({
    name: 'scheduler.ts',
    command: process.execPath,
    args: ['--import', 'tsx', join(here, 'scheduler.ts'), '10000', String(profile.schedulerRepeats)],
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? scratchDir, NODE_ENV: 'production' },
  });
  const lines = [];
  try {
    // scheduler.ts prints one line per shape; the third is the last.
    await proc.waitForOutput(/^random DAG/, STEP_TIMEOUT_MS);
    for (const line of proc.output().split('\n')) {
      const match = /^(.+?)\s+run\s+([\d.]+) ms =\s+([\d,]+) tasks\/s\s+validate\s+([\d.]+) ms =\s+([\d,]+) tasks\/s/.exec(line);
      if (match) lines.push({ shape: match[1].trim(), runMs: Number(match[2]), runRate: Number(match[3].replace(/,/g, '')), validateRate: Number(match[5].replace(/,/g, '')) });
    }
  } finally {
    await proc.stop();
  }
  if (lines.length !== 3) throw new Error(`scheduler.ts printed:\n${proc.output()}`);
  return lines;
}

async function benchCalls(client, tool, args) {
  const count = profile.throughputCalls;
  const plan = { tasks: Array.from({ length: count }, (_, i) => ({ id: `c${i}`, tool, arguments: args(i) })), maxConcurrency: 256 };
  await batch(client, { ...plan, tasks: plan.tasks.slice(0, 200) }); // warm-up
  const walls = [];
  const engine = [];
  for (let round = 0; round < profile.throughputRepeats; round++) {
    const run = await batch(client, plan);
    if (run.report.tasks.length !== count) throw new Error('missing tasks in the report');
    walls.push(run.wall);
    engine.push(run.report.wallTimeMs);
  }
  return { tool, count, wallMs: median(walls), engineWallMs: median(engine), rate: (count / median(walls)) * 1000, walls };
}

// ---------------------------------------------------------------- (d) tokens of a scripted agent transcript

const SYSTEM_PROMPT =
  'You are a coding assistant with access to tools. Use them to answer the user. Be concise; cite issue numbers.';
const USER_PROMPT =
  'Give me a triage summary of issues #412 to #421 in acme/webapp: for each one, what it is about, how severe it looks, and who should take it.';
/** The tools the agent's client lists (besides batch_execute), as an MCP client would pass them to the model. */
const TOOLS = [
  {
    name: 'github__get_issue',
    description: 'Get one issue of a GitHub repository: title, state, labels, author, assignees, body and the latest comments.',
    inputSchema: {
      type: 'object',
      properties: { owner: { type: 'string' }, repo: { type: 'string' }, issue_number: { type: 'integer' } },
      required: ['owner', 'repo', 'issue_number'],
    },
  },
  {
    name: 'github__list_issues',
    description: 'List issues of a GitHub repository, filtered by state and labels.',
    inputSchema: {
      type: 'object',
      properties: { owner: { type: 'string' }, repo: { type: 'string' }, state: { type: 'string', enum: ['open', 'closed', 'all'] }, labels: { type: 'array', items: { type: 'string' } } },
      required: ['owner', 'repo'],
    },
  },
  {
    name: 'github__add_labels',
    description: 'Add labels to an issue.',
    inputSchema: {
      type: 'object',
      properties: { owner: { type: 'string' }, repo: { type: 'string' }, issue_number: { type: 'integer' }, labels: { type: 'array', items: { type: 'string' } } },
      required: ['owner', 'repo', 'issue_number', 'labels'],
    },
  },
];

const ISSUES = [
  ['Login page spins forever on Safari 17', 'bug,auth', 'When signing in with SSO on Safari 17.2 the spinner never stops. Console shows a blocked third-party cookie. Chrome works.', 'dana-k'],
  ['Export to CSV drops rows with commas', 'bug,export', 'Rows whose description contains a comma are cut in two columns; fields are not quoted. Affects the monthly finance export.', 'lee-m'],
  ['Dark mode: chart tooltips unreadable', 'ui', 'Tooltip text is #222 on a #1e1e1e background in dark mode. Screenshot attached.', 'pri-s'],
  ['Add rate limiting to the public API', 'enhancement,api', 'We had two scraping incidents last month. Proposal: token bucket per API key, 100 req/min, 429 with Retry-After.', 'ops-bot'],
  ['Memory leak in websocket reconnect', 'bug,performance', 'Every reconnect adds a listener; after a day the tab uses 2 GB. Heap snapshot shows 40k closures in reconnect().', 'jonas-w'],
  ['Typo on pricing page', 'docs', '"Anual" should be "Annual" in the plan selector.', 'visitor42'],
  ['Upgrade to Node 22', 'chore', 'Node 20 maintenance ends next year; CI and Dockerfile need bumping, plus the native sqlite module rebuild.', 'dana-k'],
  ['Password reset email sent twice', 'bug,auth,email', 'Clicking "reset" once triggers two emails, 300 ms apart. Looks like the form submits on Enter and on click.', 'support-team'],
  ['Search ignores accented characters', 'bug,search', 'Searching "cafe" does not find "café". Need unicode normalisation in the indexer.', 'lee-m'],
  ['Crash on upload of files > 2 GB', 'bug,upload,crash', 'Server returns 500 and the worker restarts: Buffer allocation fails. Should stream to S3 instead.', 'jonas-w'],
];

/** What `github__get_issue` would answer for issue `n`: a JSON text of realistic size. */
function issueResult(i) {
  const [title, labels, body, author] = ISSUES[i];
  return JSON.stringify({
    number: 412 + i,
    title,
    state: 'open',
    labels: labels.split(','),
    author,
    assignees: [],
    created_at: `2026-11-${String(2 + i).padStart(2, '0')}T09:${String(10 + i * 3).padStart(2, '0')}:00Z`,
    comments: 1 + (i % 3),
    body,
    latest_comment: i % 2 ? 'Can reproduce on main.' : 'Any update on this?',
    html_url: `https://github.com/acme/webapp/issues/${412 + i}`,
  });
}
const FINAL_ANSWER = ISSUES.map(
  ([title, labels], i) => `#${412 + i} ${title}: ${labels.includes('crash') || labels.includes('performance') || labels.includes('auth') ? 'high' : labels.includes('bug') ? 'medium' : 'low'} severity; suggest ${labels.split(',').at(-1)} owner.`,
).join('\n');

/**
 * Tokens of one model turn: the prompt (system, tool definitions, every message so far) plus the
 * completion. Each message is rendered the same way on both sides: `<role>\n<content>` with tool
 * calls as JSON `{name, arguments}`, plus 4 tokens of chat framing per message, counted with o200k_base.
 */
function turnTokens(tools, messages, completion) {
  const render = (message) => countTokens(`${message.role}\n${message.content}`) + 4;
  const toolTokens = countTokens(JSON.stringify(tools.map(({ name, description, inputSchema }) => ({ name, description, parameters: inputSchema }))));
  const prompt = render({ role: 'system', content: SYSTEM_PROMPT }) + toolTokens + messages.reduce((sum, message) => sum + render(message), 0);
  return { prompt, completion: render(completion) };
}

function transcriptTokens(tools, steps) {
  // steps: [{ call: message, result: message }...], then the final answer.
  const messages = [{ role: 'user', content: USER_PROMPT }];
  const turns = [];
  for (const step of steps) {
    turns.push(turnTokens(tools, messages, step.call));
    messages.push(step.call, step.result);
  }
  const finalMessage = { role: 'assistant', content: FINAL_ANSWER };
  turns.push(turnTokens(tools, messages, finalMessage));
  messages.push(finalMessage);
  const total = turns.reduce((sum, turn) => sum + turn.prompt + turn.completion, 0);
  // The same messages counted once each, as if nothing were re-sent (for comparison only).
  const once = turnTokens(tools, messages.slice(0, -1), finalMessage);
  return { turns: turns.length, total, prompt: turns.reduce((s, t) => s + t.prompt, 0), completion: turns.reduce((s, t) => s + t.completion, 0), onceEach: once.prompt + once.completion };
}

async function benchTokens(client) {
  const { tools } = await withTimeout(client.listTools(), 'tools/list');
  const batchTool = tools.find((tool) => tool.name === 'batch_execute');
  if (!batchTool) throw new Error('the daemon lists no batch_execute');
  const args = (i) => ({ owner: 'acme', repo: 'webapp', issue_number: 412 + i });
  const callMessage = (name, input) => ({ role: 'assistant', content: JSON.stringify({ tool_call: { name, arguments: input } }) });

  // One call per turn: 10 turns that each call github__get_issue, then the answer.
  const oneByOne = transcriptTokens(
    TOOLS,
    ISSUES.map((_, i) => ({ call: callMessage('github__get_issue', args(i)), result: { role: 'tool', content: issueResult(i) } })),
  );

  // One batch_execute turn. Its answer is produced by the real daemon (echo__echo answering each
  // issue's text), then each task's tool name is put back to github__get_issue: the exact compact
  // report format, with the scripted results.
  const plan = { tasks: ISSUES.map((_, i) => ({ id: `i${412 + i}`, tool: 'github__get_issue', arguments: args(i) })) };
  const realPlan = { tasks: ISSUES.map((_, i) => ({ id: `i${412 + i}`, tool: 'echo__echo', arguments: { text: issueResult(i) } })) };
  const run = await batch(client, realPlan);
  const reportText = run.result.content[0].text.replaceAll('"tool":"echo__echo"', '"tool":"github__get_issue"');
  const batched = transcriptTokens([...TOOLS, batchTool], [{ call: callMessage('batch_execute', plan), result: { role: 'tool', content: reportText } }]);
  return { oneByOne, batched, batchToolTokens: countTokens(JSON.stringify({ name: batchTool.name, description: batchTool.description, parameters: batchTool.inputSchema })) };
}

// ---------------------------------------------------------------- report

function table(rows) {
  const header = ['figure', 'value', 'target', 'result'];
  const cells = rows.map((row) => [row.figure, row.value, row.target ?? '', row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL']);
  const widths = header.map((_, column) => Math.max(header[column].length, ...cells.map((cell) => cell[column].length)));
  const line = (cell) => cell.map((text, column) => text.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

async function main() {
  scratchDir = await mkdtemp(join(tmpdir(), 'mcp-orch-bench-batch-'));
  const startLoad = loadavg().map((value) => value.toFixed(2)).join(' ');
  const started = new Date();
  const rows = [];
  const figures = {};

  log('(e) tokens three ways (bench/batch/three-ways.ts)…');
  const { compareWorkflows } = await tsImport('./three-ways.ts', import.meta.url);
  figures.threeWays = await compareWorkflows();

  log('scheduler throughput (bench/batch/scheduler.ts)…');
  figures.scheduler = await benchScheduler();

  log('starting the daemon…');
  const daemon = await startDaemon();
  let session;
  try {
    session = await connect(daemon.base);
    const { client } = session;
    // The servers are up once "Press Ctrl-C" is printed; check the aggregate lists what we call.
    const names = new Set((await withTimeout(client.listTools(), 'tools/list')).tools.map((tool) => tool.name));
    for (const name of ['batch_execute', 'echo__sleep', 'echo__echo', 'bf__slow', 'bf__typed']) {
      if (!names.has(name)) throw new Error(`the aggregate lists no ${name}: ${[...names].join(', ')}`);
    }
    log('(a) 20 independent 100 ms calls…');
    figures.independent = await benchIndependent(client);
    log('(b) fan-out 10 → join → fan-out 5…');
    figures.dag = await benchDag(client);
    log('(c) 1,000 calls through batch_execute…');
    figures.callsEcho = await benchCalls(client, 'echo__echo', (i) => ({ text: `call ${i}` }));
    figures.callsRaw = await benchCalls(client, 'bf__typed', (i) => ({ count: i }));
    log('(d) tokens…');
    figures.tokens = await benchTokens(client);
  } finally {
    await session?.close();
    await daemon.proc.stop();
  }

  const a = figures.independent;
  const aSpeedup = a.sequentialMs / a.batchMs;
  rows.push({ figure: `(a) ${a.count} × sleep ${a.sleepMs} ms, sequential tools/call (SDK)`, value: `${ms(a.sequentialMs)}  (median of ${a.seq.length})` });
  rows.push({ figure: `(a) the same, one batch_execute (client wall)`, value: `${ms(a.batchMs)}  (engine wallTimeMs ${ms(a.engineWallMs)})` });
  rows.push({ figure: '(a) speedup sequential ÷ batch', value: `×${aSpeedup.toFixed(1)}`, target: '≥ ×10', pass: aSpeedup >= 10 });
  rows.push({ figure: '(a) batch wall ÷ critical path (100 ms)', value: `${(a.batchMs / a.criticalPathMs).toFixed(2)}`, target: '≤ 1.3', pass: a.batchMs <= 1.3 * a.criticalPathMs });
  const b = figures.dag;
  const bSpeedup = b.sequentialMs / b.batchMs;
  rows.push({ figure: `(b) DAG 10 → join → 5 (${b.tasks} calls, Σ ${b.sumMs} ms), sequential`, value: `${ms(b.sequentialMs)}  (median of ${b.seq.length})` });
  rows.push({ figure: '(b) the same, one batch_execute (client wall)', value: `${ms(b.batchMs)}  (critical path ${b.criticalPathMs} ms)` });
  rows.push({ figure: '(b) speedup sequential ÷ batch', value: `×${bSpeedup.toFixed(2)}`, target: '≥ ×3', pass: bSpeedup >= 3 });
  rows.push({ figure: '(b) batch wall ÷ critical path', value: `${(b.batchMs / b.criticalPathMs).toFixed(2)}`, target: '≤ 1.3', pass: b.batchMs <= 1.3 * b.criticalPathMs });
  for (const shape of figures.scheduler) {
    rows.push({ figure: `(c) scheduler, 10,000 trivial tasks, ${shape.shape}`, value: `${int(shape.runRate)} tasks/s (validate ${int(shape.validateRate)}/s)`, target: '≥ 20,000/s', pass: shape.runRate >= 20_000 });
  }
  for (const [key, label] of [['callsEcho', 'echo__echo (SDK stdio server)'], ['callsRaw', 'bf__typed (raw JSON-RPC server)']]) {
    const c = figures[key];
    rows.push({
      figure: `(c) ${int(c.count)} calls in one batch_execute, ${label}`,
      value: `${int(c.rate)} calls/s (${ms(c.wallMs)}; engine ${ms(c.engineWallMs)})`,
      target: '≥ 2,000/s',
      pass: c.rate >= 2000,
    });
  }
  const t = figures.tokens;
  const saved = 1 - t.batched.total / t.oneByOne.total;
  rows.push({ figure: `(d) tokens, 10 calls one per turn (${t.oneByOne.turns} turns)`, value: `${int(t.oneByOne.total)} (prompt ${int(t.oneByOne.prompt)} + completion ${int(t.oneByOne.completion)})` });
  rows.push({ figure: `(d) tokens, one batch_execute turn (${t.batched.turns} turns)`, value: `${int(t.batched.total)} (prompt ${int(t.batched.prompt)} + completion ${int(t.batched.completion)})` });
  rows.push({ figure: '(d) tokens saved by batch_execute', value: `${(saved * 100).toFixed(1)} %`, target: '≥ 60 % (seed 30 %)', pass: saved >= 0.6 });
  const savedOnce = 1 - t.batched.onceEach / t.oneByOne.onceEach;
  rows.push({ figure: '(d) for comparison: nothing re-sent (each message once)', value: `${int(t.oneByOne.onceEach)} vs ${int(t.batched.onceEach)} = ${(savedOnce * 100).toFixed(1)} % saved` });

  for (const w of figures.threeWays) {
    const vsCall = 1 - w.planned.total / w.perCall.total;
    const vsWave = 1 - w.planned.total / w.perWave.total;
    const label = `(e) ${w.name} (${w.shape}, ${w.calls} calls, ${w.waves} waves)`;
    rows.push({ figure: `${label}: 1 call per turn`, value: `${int(w.perCall.total)} (${w.perCall.turns} turns)` });
    rows.push({ figure: `${label}: 1 turn per wave`, value: `${int(w.perWave.total)} (${w.perWave.turns} turns)` });
    rows.push({ figure: `${label}: plan_and_execute`, value: `${int(w.planned.total)} (${w.planned.turns} turns + planner call ${int(w.planned.planner)})` });
    rows.push({ figure: `${label}: saved vs 1 call per turn`, value: `${(vsCall * 100).toFixed(1)} %`, target: '≥ 60 %', pass: vsCall >= 0.6 });
    rows.push({
      figure: `${label}: saved vs 1 turn per wave`,
      value: `${(vsWave * 100).toFixed(1)} %`,
      ...(w.dependent ? { target: '≥ 30 % (dependent)', pass: vsWave >= 0.3 } : { target: 'none (independent)' }),
    });
  }

  const left = leftovers();
  rows.push({ figure: 'processes left after the run', value: left.length ? left.join(' ') : 'none', target: 'none', pass: left.length === 0 });

  console.log(`Batch bench${options.quick ? ' (--quick)' : ''}, ${started.toISOString()}, node ${process.version}, load average at start ${startLoad}, at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(table(rows));
  console.log(
    `\n(d) method: o200k_base (gpt-tokenizer). A turn = system prompt + tool definitions (JSON of name, description, parameters) + every message so far + the completion; each message is "<role>\\n<content>" + 4 tokens of framing, a tool call is JSON {name, arguments}. One call per turn: 11 turns (10 get_issue calls, then the answer), each re-sending the conversation. Batch: 2 turns (one batch_execute call, then the answer), tool definitions include batch_execute (${int(t.batchToolTokens)} tokens, as the daemon lists it); its result is the daemon's real compact report. Both sides get the same results and the same final answer.`,
  );
  console.log(
    '\n(e) method: the same o200k_base transcript model, over the 62 tools of the planner evaluation\'s five stdio servers (listed to the agent every turn). 1 call per turn and 1 turn per wave: the agent copies data from one result into the next call itself. plan_and_execute: two agent turns (the tool definitions then also hold batch_execute and plan_and_execute), plus the planner\'s own call — its system prompt, the tools its BM25 pre-filter kept, the request, and the plan it writes — and the report holds only the plan\'s output tasks. The planner and executor are the real ones; the plan is scripted, the tool results canned (bench/batch/workflows.ts).',
  );
  if (options.json) await writeFile(options.json, JSON.stringify({ started, options, figures, rows }, null, 2));
  const failed = rows.filter((row) => row.pass === false).length;
  if (failed) console.log(`\n${failed} target(s) missed.`);
}

main()
  .catch((error) => {
    console.error(error?.stack ?? error);
    process.exitCode = 1;
  })
  .finally(cleanup);
