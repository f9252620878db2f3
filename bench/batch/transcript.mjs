// (d) of the batch bench: the tokens an agent spends on one task, a call per model turn against one
// batch_execute turn, counted with o200k_base over a scripted transcript (the method is printed
// under the table by run.mjs).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { batch, withTimeout } from './harness.mjs';

const SYSTEM_PROMPT = 'You are a coding assistant with access to tools. Use them to answer the user. Be concise; cite issue numbers.';
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
      properties: {
        owner: { type: 'string' },
        repo: { type: 'string' },
        state: { type: 'string', enum: ['open', 'closed', 'all'] },
        labels: { type: 'array', items: { type: 'string' } },
      },
      required: ['owner', 'repo'],
    },
  },
  {
    name: 'github__add_labels',
    description: 'Add labels to an issue.',
    inputSchema: {
      type: 'object',
      properties: {
        owner: { type: 'string' },
        repo: { type: 'string' },
        issue_number: { type: 'integer' },
        labels: { type: 'array', items: { type: 'string' } },
      },
      required: ['owner', 'repo', 'issue_number', 'labels'],
    },
  },
];

const ISSUES = [
  [
    'Login page spins forever on Safari 17',
    'bug,auth',
    'When signing in with SSO on Safari 17.2 the spinner never stops. Console shows a blocked third-party cookie. Chrome works.',
    'dana-k',
  ],
  [
    'Export to CSV drops rows with commas',
    'bug,export',
    'Rows whose description contains a comma are cut in two columns; fields are not quoted. Affects the monthly finance export.',
    'lee-m',
  ],
  [
    'Dark mode: chart tooltips unreadable',
    'ui',
    'Tooltip text is #222 on a #1e1e1e background in dark mode. Screenshot attached.',
    'pri-s',
  ],
  [
    'Add rate limiting to the public API',
    'enhancement,api',
    'We had two scraping incidents last month. Proposal: token bucket per API key, 100 req/min, 429 with Retry-After.',
    'ops-bot',
  ],
  [
    'Memory leak in websocket reconnect',
    'bug,performance',
    'Every reconnect adds a listener; after a day the tab uses 2 GB. Heap snapshot shows 40k closures in reconnect().',
    'jonas-w',
  ],
  ['Typo on pricing page', 'docs', '"Anual" should be "Annual" in the plan selector.', 'visitor42'],
  [
    'Upgrade to Node 22',
    'chore',
    'Node 20 maintenance ends next year; CI and Dockerfile need bumping, plus the native sqlite module rebuild.',
    'dana-k',
  ],
  [
    'Password reset email sent twice',
    'bug,auth,email',
    'Clicking "reset" once triggers two emails, 300 ms apart. Looks like the form submits on Enter and on click.',
    'support-team',
  ],
  [
    'Search ignores accented characters',
    'bug,search',
    'Searching "cafe" does not find "café". Need unicode normalisation in the indexer.',
    'lee-m',
  ],
  [
    'Crash on upload of files > 2 GB',
    'bug,upload,crash',
    'Server returns 500 and the worker restarts: Buffer allocation fails. Should stream to S3 instead.',
    'jonas-w',
  ],
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
  ([title, labels], i) =>
    `#${412 + i} ${title}: ${labels.includes('crash') || labels.includes('performance') || labels.includes('auth') ? 'high' : labels.includes('bug') ? 'medium' : 'low'} severity; suggest ${labels.split(',').at(-1)} owner.`,
).join('\n');

/**
 * Tokens of one model turn: the prompt (system, tool definitions, every message so far) plus the
 * completion. Each message is rendered the same way on both sides: `<role>\n<content>` with tool
 * calls as JSON `{name, arguments}`, plus 4 tokens of chat framing per message, counted with o200k_base.
 */
function turnTokens(tools, messages, completion) {
  const render = (message) => countTokens(`${message.role}\n${message.content}`) + 4;
  const toolTokens = countTokens(
    JSON.stringify(tools.map(({ name, description, inputSchema }) => ({ name, description, parameters: inputSchema }))),
  );
  const prompt =
    render({ role: 'system', content: SYSTEM_PROMPT }) + toolTokens + messages.reduce((sum, message) => sum + render(message), 0);
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
  return {
    turns: turns.length,
    total,
    prompt: turns.reduce((s, t) => s + t.prompt, 0),
    completion: turns.reduce((s, t) => s + t.completion, 0),
    onceEach: once.prompt + once.completion,
  };
}

/** (d) The tokens of one triage task done one call per turn and as one batch_execute turn (its report from the real daemon). */
export async function benchTokens(client) {
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
  const batched = transcriptTokens(
    [...TOOLS, batchTool],
    [{ call: callMessage('batch_execute', plan), result: { role: 'tool', content: reportText } }],
  );
  return {
    oneByOne,
    batched,
    batchToolTokens: countTokens(
      JSON.stringify({ name: batchTool.name, description: batchTool.description, parameters: batchTool.inputSchema }),
    ),
  };
}
