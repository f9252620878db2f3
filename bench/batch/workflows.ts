/**
 * The workflows of the three-ways token comparison: what the agent calls wave by wave (with the
 * data it copies from one result into the next call), the plan a planner model writes for the
 * same request, the tools' answers (canned, of realistic size), and the agent's final answer.
 */
import type { ToolResult } from '../../main/core/batch/references.js';
import type { ModelPlan } from '../../main/core/planner/prompt.js';

interface AgentCall {
  tool: string;
  arguments: Record<string, unknown>;
  result: string;
}

export interface Workflow {
  name: string;
  shape: 'independent' | 'chain' | 'fan-out + join';
  request: string;
  agentWaves: AgentCall[][];
  plan: ModelPlan;
  /** The tools' answers in the planned run, by task id. */
  results: Record<string, ToolResult>;
  answer: string;
}

const json = (value: unknown): ToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
const textOf = (result: ToolResult): string => (result.content as { text: string }[])[0]!.text;

const TITLES = [
  'Login page spins forever on Safari 17',
  'Export to CSV drops rows with commas',
  'Dark mode: chart tooltips unreadable',
  'Add rate limiting to the public API',
  'Memory leak in websocket reconnect',
  'Typo on pricing page',
  'Upgrade to Node 22',
  'Password reset email sent twice',
];
const BODIES = [
  'When signing in with SSO on Safari 17.2 the spinner never stops. Console shows a blocked third-party cookie. Chrome works.',
  'Rows whose description contains a comma are cut in two columns; fields are not quoted. Affects the monthly finance export.',
  'Tooltip text is #222 on a #1e1e1e background in dark mode. Screenshot attached.',
  'We had two scraping incidents last month. Proposal: token bucket per API key, 100 req/min, 429 with Retry-After.',
  'Every reconnect adds a listener; after a day the tab uses 2 GB. Heap snapshot shows 40k closures in reconnect().',
  '"Anual" should be "Annual" in the plan selector.',
  'Node 20 maintenance ends next year; CI and Dockerfile need bumping, plus the native sqlite module rebuild.',
  'Clicking "reset" once triggers two emails, 300 ms apart. Looks like the form submits on Enter and on click.',
];

function issue(i: number): ToolResult {
  return json({
    number: 412 + i,
    title: TITLES[i],
    body: BODIES[i],
    author: ['dana-k', 'lee-m', 'pri-s', 'ops-bot'][i % 4],
    labels: i % 3 ? ['bug'] : ['bug', 'p1'],
    state: 'open',
    comments: 1 + (i % 3),
    created_at: `2026-11-0${1 + (i % 9)}T09:1${i}:00Z`,
  });
}

// ------------------------------------------------------------------ independent: 8 issues

const issueCalls = TITLES.map((_, i) => ({
  tool: 'github__get_issue',
  arguments: { repo: 'acme/webapp', number: 412 + i },
  result: textOf(issue(i)),
}));
const independent: Workflow = {
  name: 'eight issues',
  shape: 'independent',
  request: 'Get issues 412 to 419 of acme/webapp and tell me which ones look urgent.',
  agentWaves: [issueCalls],
  plan: {
    tasks: issueCalls.map((call, i) => ({ id: `i${412 + i}`, tool: call.tool, arguments: call.arguments })),
    output: issueCalls.map((_, i) => `i${412 + i}`),
  },
  results: Object.fromEntries(TITLES.map((_, i) => [`i${412 + i}`, issue(i)])),
  answer: 'Urgent: #412 (SSO login broken on Safari), #416 (memory leak, 2 GB per day), #419 (duplicate reset emails). The rest can wait.',
};

// ------------------------------------------------------------------ chain: CI failure → logs → issue → Slack

const RUNS = {
  items: [
    { id: 9101, name: 'ci', status: 'failure', head_branch: 'main', head_sha: '3f9c2e1', created_at: '2026-11-30T08:12:00Z' },
    { id: 9098, name: 'ci', status: 'success', head_branch: 'main', head_sha: '77ab019', created_at: '2026-11-29T17:40:00Z' },
    { id: 9095, name: 'e2e', status: 'success', head_branch: 'main', head_sha: '77ab019', created_at: '2026-11-29T17:40:00Z' },
    { id: 9090, name: 'ci', status: 'success', head_branch: 'release/2.3', head_sha: 'c01d5e2', created_at: '2026-11-29T11:02:00Z' },
  ],
  total: 4,
};
const LOGS = [
  '2026-11-30T08:12:04Z ##[group]Run npm test',
  '> webapp@2.4.0 test',
  '> vitest run',
  ' RUN  v3.2.7 /home/runner/work/webapp/webapp',
  ' ✓ src/auth/session.test.ts (12 tests) 48ms',
  ' ✓ src/export/csv.test.ts (9 tests) 31ms',
  ' ❯ src/billing/invoice.test.ts (7 tests | 2 failed) 112ms',
  '   × rounds VAT per line, not per invoice',
  '     → expected 119.99 to be 120 // Object.is equality',
  '   × applies the EU reverse charge',
  "     → expected 'DE' to be 'EU'",
  ' ✓ src/ui/table.test.ts (21 tests) 203ms',
  ' Test Files  1 failed | 3 passed (4)',
  '      Tests  2 failed | 47 passed (49)',
  '##[error]Process completed with exit code 1.',
].join('\n');
const CREATED = { number: 431, url: 'https://github.com/acme/webapp/issues/431' };
const POSTED = { ok: true, channel: '#eng', ts: '1764490000.000200' };
const chain: Workflow = {
  name: 'CI failure to an issue',
  shape: 'chain',
  request:
    "Find the latest failing CI run of acme/webapp, get its logs, open an issue titled 'CI failure on main' with the logs as body, and post the issue link to #eng.",
  agentWaves: [
    [{ tool: 'github__list_workflow_runs', arguments: { repo: 'acme/webapp', status: 'failure' }, result: JSON.stringify(RUNS) }],
    [{ tool: 'github__get_workflow_run_logs', arguments: { repo: 'acme/webapp', run_id: 9101 }, result: LOGS }],
    [
      {
        tool: 'github__create_issue',
        arguments: { repo: 'acme/webapp', title: 'CI failure on main', body: LOGS },
        result: JSON.stringify(CREATED),
      },
    ],
    [
      {
        tool: 'slack__post_message',
        arguments: { channel: '#eng', text: `CI failure on main: ${CREATED.url}` },
        result: JSON.stringify(POSTED),
      },
    ],
  ],
  plan: {
    tasks: [
      { id: 'runs', tool: 'github__list_workflow_runs', arguments: { repo: 'acme/webapp', status: 'failure' } },
      {
        id: 'logs',
        tool: 'github__get_workflow_run_logs',
        arguments: { repo: 'acme/webapp', run_id: '{{runs.structuredContent.items[0].id}}' },
      },
      { id: 'issue', tool: 'github__create_issue', arguments: { repo: 'acme/webapp', title: 'CI failure on main', body: '{{logs.text}}' } },
      {
        id: 'post',
        tool: 'slack__post_message',
        arguments: { channel: '#eng', text: 'CI failure on main: {{issue.structuredContent.url}}' },
      },
    ],
    output: ['issue', 'post'],
  },
  results: { runs: json(RUNS), logs: { content: [{ type: 'text', text: LOGS }] }, issue: json(CREATED), post: json(POSTED) },
  answer: `Opened ${CREATED.url} with the logs of run 9101 (2 failing billing tests) and posted the link to #eng.`,
};

// ------------------------------------------------------------------ fan-out then join: bugs → details → one Notion page

const LIST = { items: TITLES.slice(0, 6).map((title, i) => ({ number: 412 + i, title, state: 'open' })), total: 6 };
const SUMMARY = TITLES.slice(0, 6)
  .map((title, i) => `- #${412 + i} ${title}: ${BODIES[i]!.split('.')[0]}.`)
  .join('\n');
const PAGE = { id: 'pg-77', url: 'https://www.notion.so/acme/Bug-triage-pg77' };
const fanOut: Workflow = {
  name: 'bug triage page',
  shape: 'fan-out + join',
  request: "Read the open bugs of acme/webapp (their details too) and put a triage page titled 'Bug triage' in Notion with them.",
  agentWaves: [
    [{ tool: 'github__list_issues', arguments: { repo: 'acme/webapp', state: 'open', labels: ['bug'] }, result: JSON.stringify(LIST) }],
    TITLES.slice(0, 6).map((_, i) => ({
      tool: 'github__get_issue',
      arguments: { repo: 'acme/webapp', number: 412 + i },
      result: textOf(issue(i)),
    })),
    [{ tool: 'notion__create_page', arguments: { title: 'Bug triage', content: SUMMARY }, result: JSON.stringify(PAGE) }],
  ],
  plan: {
    tasks: [
      { id: 'bugs', tool: 'github__list_issues', arguments: { repo: 'acme/webapp', state: 'open', labels: ['bug'] } },
      ...TITLES.slice(0, 6).map((_, i) => ({
        id: `d${i}`,
        tool: 'github__get_issue',
        arguments: { repo: 'acme/webapp', number: `{{bugs.structuredContent.items[${i}].number}}` },
      })),
      {
        id: 'page',
        tool: 'notion__create_page',
        arguments: {
          title: 'Bug triage',
          content: TITLES.slice(0, 6)
            .map((_, i) => `{{d${i}.text}}`)
            .join('\n'),
        },
      },
    ],
    output: ['page'],
  },
  results: { bugs: json(LIST), ...Object.fromEntries(TITLES.slice(0, 6).map((_, i) => [`d${i}`, issue(i)])), page: json(PAGE) },
  answer: `Created "Bug triage" (${PAGE.url}) with the six open bugs, #412 to #417.`,
};

export const WORKFLOWS: Workflow[] = [independent, chain, fanOut];
