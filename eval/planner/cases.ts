/**
 * The planner evaluation set: natural-language requests over the fixed workspace catalog
 * (`__fixtures__/workspace-tools.mjs`, 62 tools), each with the properties its plan must have, and
 * the plan the scripted endpoint answers (a correct one: the scripted run tests the harness).
 *
 * - `tools`: each entry must be used by some task; `a|b` accepts either tool.
 * - `edges`: `[from, to]`: some task of `to` waits, directly or not, for a task of `from`.
 * - `forbidden`: tools no task may use.
 */
import type { ModelPlan } from '../../main/core/planner/prompt.js';

export interface EvalCase {
  id: string;
  request: string;
  tools: string[];
  edges?: [string, string][];
  forbidden?: string[];
  plan: ModelPlan;
}

const t = (id: string, tool: string, args: Record<string, unknown> = {}, dependsOn?: string[]) => ({
  id,
  tool,
  arguments: args,
  ...(dependsOn ? { dependsOn } : {}),
});

export const CASES: EvalCase[] = [
  {
    id: 'list-issues',
    request: 'List the open issues of acme/webapp.',
    tools: ['github__list_issues'],
    forbidden: ['github__create_issue', 'github__update_issue'],
    plan: { tasks: [t('issues', 'github__list_issues', { repo: 'acme/webapp', state: 'open' })], output: ['issues'] },
  },
  {
    id: 'three-issues',
    request: 'Get issues 12, 15 and 19 of acme/webapp.',
    tools: ['github__get_issue'],
    forbidden: ['github__create_issue'],
    plan: {
      tasks: [12, 15, 19].map((n) => t(`i${n}`, 'github__get_issue', { repo: 'acme/webapp', number: n })),
      output: ['i12', 'i15', 'i19'],
    },
  },
  {
    id: 'read-two-files',
    request: 'Show me /work/app/package.json and /work/app/README.md.',
    tools: ['filesystem__read_file|filesystem__read_multiple_files'],
    forbidden: ['filesystem__write_file'],
    plan: {
      tasks: [
        t('pkg', 'filesystem__read_file', { path: '/work/app/package.json' }),
        t('readme', 'filesystem__read_file', { path: '/work/app/README.md' }),
      ],
      output: ['pkg', 'readme'],
    },
  },
  {
    id: 'post-message',
    request: 'Post "Deploy finished" to #releases on Slack.',
    tools: ['slack__post_message'],
    forbidden: ['slack__send_direct_message'],
    plan: { tasks: [t('post', 'slack__post_message', { channel: '#releases', text: 'Deploy finished' })], output: ['post'] },
  },
  {
    id: 'weather-two-cities',
    request: "What's the weather in Paris and in Berlin for the next 3 days?",
    tools: ['search__weather'],
    forbidden: ['search__web_search'],
    plan: {
      tasks: [t('paris', 'search__weather', { city: 'Paris', days: 3 }), t('berlin', 'search__weather', { city: 'Berlin', days: 3 })],
      output: ['paris', 'berlin'],
    },
  },
  {
    id: 'ci-failure-issue',
    request:
      "Find the latest failing CI run of acme/webapp, get its logs, and open an issue in acme/webapp titled 'CI failure' with the logs as its body.",
    tools: ['github__list_workflow_runs', 'github__get_workflow_run_logs', 'github__create_issue'],
    edges: [
      ['github__list_workflow_runs', 'github__get_workflow_run_logs'],
      ['github__get_workflow_run_logs', 'github__create_issue'],
    ],
    plan: {
      tasks: [
        t('runs', 'github__list_workflow_runs', { repo: 'acme/webapp', status: 'failure' }),
        t('logs', 'github__get_workflow_run_logs', { repo: 'acme/webapp', run_id: '{{runs.structuredContent.items[0].id}}' }),
        t('issue', 'github__create_issue', { repo: 'acme/webapp', title: 'CI failure', body: '{{logs.text}}' }),
      ],
      output: ['issue'],
    },
  },
  {
    id: 'summarise-and-post',
    request: 'Summarise https://example.com/blog/release-2 and post the summary to #news.',
    tools: ['search__summarize_url', 'slack__post_message'],
    edges: [['search__summarize_url', 'slack__post_message']],
    plan: {
      tasks: [
        t('summary', 'search__summarize_url', { url: 'https://example.com/blog/release-2' }),
        t('post', 'slack__post_message', { channel: '#news', text: '{{summary.text}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'notion-search-content',
    request: "Search Notion for 'Q3 roadmap' and give me the content of the first page found.",
    tools: ['notion__search', 'notion__get_page_content'],
    edges: [['notion__search', 'notion__get_page_content']],
    plan: {
      tasks: [
        t('found', 'notion__search', { query: 'Q3 roadmap' }),
        t('content', 'notion__get_page_content', { page_id: '{{found.structuredContent.results[0].id}}' }),
      ],
      output: ['content'],
    },
  },
  {
    id: 'count-prs',
    request: 'List the open pull requests of acme/api and post the list to #eng.',
    tools: ['github__list_pull_requests', 'slack__post_message'],
    edges: [['github__list_pull_requests', 'slack__post_message']],
    plan: {
      tasks: [
        t('prs', 'github__list_pull_requests', { repo: 'acme/api', state: 'open' }),
        t('post', 'slack__post_message', { channel: '#eng', text: 'Open PRs: {{prs.text}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'mkdir-write',
    request: "Create the directory /work/notes and write /work/notes/todo.md containing '- ship it'.",
    tools: ['filesystem__create_directory', 'filesystem__write_file'],
    edges: [['filesystem__create_directory', 'filesystem__write_file']],
    plan: {
      tasks: [
        t('dir', 'filesystem__create_directory', { path: '/work/notes' }),
        t('todo', 'filesystem__write_file', { path: '/work/notes/todo.md', content: '- ship it' }, ['dir']),
      ],
      output: ['todo'],
    },
  },
  {
    id: 'pr-and-diff-to-review',
    request: 'Get pull request 42 of acme/webapp and its diff, and post both to #review.',
    tools: ['github__get_pull_request', 'github__get_pull_request_diff', 'slack__post_message'],
    edges: [
      ['github__get_pull_request', 'slack__post_message'],
      ['github__get_pull_request_diff', 'slack__post_message'],
    ],
    plan: {
      tasks: [
        t('pr', 'github__get_pull_request', { repo: 'acme/webapp', number: 42 }),
        t('diff', 'github__get_pull_request_diff', { repo: 'acme/webapp', number: 42 }),
        t('post', 'slack__post_message', { channel: '#review', text: 'PR 42: {{pr.text}}\n{{diff.text}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'search-then-fetch',
    request: "Search the web for 'vitest fake timers' and fetch the page of the first result.",
    tools: ['search__web_search', 'search__fetch_url'],
    edges: [['search__web_search', 'search__fetch_url']],
    plan: {
      tasks: [
        t('hits', 'search__web_search', { query: 'vitest fake timers' }),
        t('page', 'search__fetch_url', { url: '{{hits.structuredContent.results[0].url}}' }),
      ],
      output: ['page'],
    },
  },
  {
    id: 'translate-twice',
    request: "Translate 'The release is delayed to Monday' into French and into German.",
    tools: ['search__translate'],
    forbidden: ['slack__post_message'],
    plan: {
      tasks: [
        t('fr', 'search__translate', { text: 'The release is delayed to Monday', target_language: 'French' }),
        t('de', 'search__translate', { text: 'The release is delayed to Monday', target_language: 'German' }),
      ],
      output: ['fr', 'de'],
    },
  },
  {
    id: 'three-quotes',
    request: 'Get the latest stock prices of AAPL, MSFT and NVDA.',
    tools: ['search__stock_quote'],
    forbidden: ['search__web_search', 'search__news_search'],
    plan: {
      tasks: ['AAPL', 'MSFT', 'NVDA'].map((ticker) => t(ticker.toLowerCase(), 'search__stock_quote', { ticker })),
      output: ['aapl', 'msft', 'nvda'],
    },
  },
  {
    id: 'list-and-find',
    request: "List the entries of /work/app/src, and find all files matching '*.test.ts' under /work/app.",
    tools: ['filesystem__list_directory', 'filesystem__search_files'],
    forbidden: ['filesystem__write_file', 'filesystem__delete_file'],
    plan: {
      tasks: [
        t('ls', 'filesystem__list_directory', { path: '/work/app/src' }),
        t('tests', 'filesystem__search_files', { path: '/work/app', pattern: '*.test.ts' }),
      ],
      output: ['ls', 'tests'],
    },
  },
  {
    id: 'changelog-to-notion',
    request: "Read /work/app/CHANGELOG.md and create a Notion page titled 'Release notes' with its content.",
    tools: ['filesystem__read_file', 'notion__create_page'],
    edges: [['filesystem__read_file', 'notion__create_page']],
    plan: {
      tasks: [
        t('log', 'filesystem__read_file', { path: '/work/app/CHANGELOG.md' }),
        t('page', 'notion__create_page', { title: 'Release notes', content: '{{log.text}}' }),
      ],
      output: ['page'],
    },
  },
  {
    id: 'incident-issue',
    request:
      "Get the last 20 messages of the Slack channel #incidents and open an issue in acme/ops titled 'Incident review' with them as the body.",
    tools: ['slack__get_channel_history', 'github__create_issue'],
    edges: [['slack__get_channel_history', 'github__create_issue']],
    plan: {
      tasks: [
        t('history', 'slack__get_channel_history', { channel: '#incidents', limit: 20 }),
        t('issue', 'github__create_issue', { repo: 'acme/ops', title: 'Incident review', body: '{{history.text}}' }),
      ],
      output: ['issue'],
    },
  },
  {
    id: 'direct-message',
    request: "Send the Slack user U123 a direct message saying 'Welcome aboard!'.",
    tools: ['slack__send_direct_message'],
    forbidden: ['slack__post_message'],
    plan: { tasks: [t('dm', 'slack__send_direct_message', { user_id: 'U123', text: 'Welcome aboard!' })], output: ['dm'] },
  },
  {
    id: 'comment-and-close',
    request: "Comment 'Fixed in #12' on issue 7 of acme/webapp, then close the issue.",
    tools: ['github__add_issue_comment', 'github__update_issue'],
    edges: [['github__add_issue_comment', 'github__update_issue']],
    forbidden: ['github__create_issue'],
    plan: {
      tasks: [
        t('comment', 'github__add_issue_comment', { repo: 'acme/webapp', number: 7, body: 'Fixed in #12' }),
        t('close', 'github__update_issue', { repo: 'acme/webapp', number: 7, state: 'closed' }, ['comment']),
      ],
      output: ['close'],
    },
  },
  {
    id: 'news-to-slack',
    request: "Find news about 'MCP protocol' from the last 7 days and post them to #ai.",
    tools: ['search__news_search', 'slack__post_message'],
    edges: [['search__news_search', 'slack__post_message']],
    plan: {
      tasks: [
        t('news', 'search__news_search', { query: 'MCP protocol', days: 7 }),
        t('post', 'slack__post_message', { channel: '#ai', text: '{{news.text}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'database-row',
    request: "Show the rows of the Notion database db-tasks and add a row named 'Write docs' to it.",
    tools: ['notion__query_database', 'notion__create_database_row'],
    plan: {
      tasks: [
        t('rows', 'notion__query_database', { database_id: 'db-tasks' }),
        t('row', 'notion__create_database_row', { database_id: 'db-tasks', properties: { Name: 'Write docs' } }),
      ],
      output: ['rows', 'row'],
    },
  },
  {
    id: 'append-and-comment',
    request: "Append 'Reviewed by the bot' to the Notion page pg-42 and comment 'done' on it.",
    tools: ['notion__append_blocks', 'notion__add_comment'],
    forbidden: ['notion__archive_page', 'notion__create_page'],
    plan: {
      tasks: [
        t('append', 'notion__append_blocks', { page_id: 'pg-42', content: 'Reviewed by the bot' }),
        t('comment', 'notion__add_comment', { page_id: 'pg-42', text: 'done' }),
      ],
      output: ['append', 'comment'],
    },
  },
  {
    id: 'move-file',
    request: 'Move /work/tmp/report.txt to /work/archive/report-2026.txt.',
    tools: ['filesystem__move_file'],
    forbidden: ['filesystem__delete_file', 'filesystem__write_file'],
    plan: {
      tasks: [t('move', 'filesystem__move_file', { source: '/work/tmp/report.txt', destination: '/work/archive/report-2026.txt' })],
      output: ['move'],
    },
  },
  {
    id: 'merge-configs',
    request: 'Read /work/app/config.json and /work/app/.env.example, then write both contents into /work/app/all-config.txt.',
    tools: ['filesystem__read_file|filesystem__read_multiple_files', 'filesystem__write_file'],
    edges: [['filesystem__read_file|filesystem__read_multiple_files', 'filesystem__write_file']],
    plan: {
      tasks: [
        t('config', 'filesystem__read_file', { path: '/work/app/config.json' }),
        t('env', 'filesystem__read_file', { path: '/work/app/.env.example' }),
        t('all', 'filesystem__write_file', { path: '/work/app/all-config.txt', content: '{{config.text}}\n{{env.text}}' }),
      ],
      output: ['all'],
    },
  },
  {
    id: 'docs-to-slack',
    request: "Search MDN docs for 'AbortSignal.any' and post the URL of the first result to #dev.",
    tools: ['search__docs_search', 'slack__post_message'],
    edges: [['search__docs_search', 'slack__post_message']],
    plan: {
      tasks: [
        t('docs', 'search__docs_search', { query: 'AbortSignal.any', site: 'MDN' }),
        t('post', 'slack__post_message', { channel: '#dev', text: '{{docs.structuredContent.results[0].url}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'branch-then-pr',
    request: "Create the branch 'fix/login' in acme/webapp from main, then open a pull request from it into main titled 'Fix login'.",
    tools: ['github__create_branch', 'github__create_pull_request'],
    edges: [['github__create_branch', 'github__create_pull_request']],
    plan: {
      tasks: [
        t('branch', 'github__create_branch', { repo: 'acme/webapp', branch: 'fix/login', from: 'main' }),
        t('pr', 'github__create_pull_request', { repo: 'acme/webapp', title: 'Fix login', head: 'fix/login', base: 'main' }, ['branch']),
      ],
      output: ['pr'],
    },
  },
  {
    id: 'set-topic',
    request: "Set the topic of the Slack channel #general to 'Quarterly planning'.",
    tools: ['slack__set_channel_topic'],
    forbidden: ['slack__post_message'],
    plan: { tasks: [t('topic', 'slack__set_channel_topic', { channel: '#general', topic: 'Quarterly planning' })], output: ['topic'] },
  },
  {
    id: 'comments-to-slack',
    request: 'Get the comments of the Notion page pg-7 and post them in the Slack channel #design.',
    tools: ['notion__get_comments', 'slack__post_message'],
    edges: [['notion__get_comments', 'slack__post_message']],
    plan: {
      tasks: [
        t('comments', 'notion__get_comments', { page_id: 'pg-7' }),
        t('post', 'slack__post_message', { channel: '#design', text: '{{comments.text}}' }),
      ],
      output: ['post'],
    },
  },
  {
    id: 'label-first-issue',
    request: "Add the label 'triage' to the first open issue of acme/webapp.",
    tools: ['github__list_issues', 'github__add_labels'],
    edges: [['github__list_issues', 'github__add_labels']],
    plan: {
      tasks: [
        t('issues', 'github__list_issues', { repo: 'acme/webapp', state: 'open' }),
        t('label', 'github__add_labels', {
          repo: 'acme/webapp',
          number: '{{issues.structuredContent.items[0].number}}',
          labels: ['triage'],
        }),
      ],
      output: ['label'],
    },
  },
  {
    id: 'coffee-and-weather',
    request: "Find coffee shops near 'Berlin Mitte' and tell me the weather in Berlin today.",
    tools: ['search__local_search', 'search__weather'],
    plan: {
      tasks: [
        t('coffee', 'search__local_search', { query: 'coffee shops', location: 'Berlin Mitte' }),
        t('weather', 'search__weather', { city: 'Berlin', days: 1 }),
      ],
      output: ['coffee', 'weather'],
    },
  },
  {
    id: 'search-summarise-save',
    request: "Search the web for 'Node 22 release notes', summarise the top result, and save the summary to /work/notes/node22.md.",
    tools: ['search__web_search', 'search__summarize_url', 'filesystem__write_file'],
    edges: [
      ['search__web_search', 'search__summarize_url'],
      ['search__summarize_url', 'filesystem__write_file'],
    ],
    plan: {
      tasks: [
        t('hits', 'search__web_search', { query: 'Node 22 release notes' }),
        t('summary', 'search__summarize_url', { url: '{{hits.structuredContent.results[0].url}}' }),
        t('save', 'filesystem__write_file', { path: '/work/notes/node22.md', content: '{{summary.text}}' }),
      ],
      output: ['save'],
    },
  },
  {
    id: 'issue-title-to-notion',
    request: 'Fetch issue 3 of acme/webapp and create a Notion page whose title is the title of that issue.',
    tools: ['github__get_issue', 'notion__create_page'],
    edges: [['github__get_issue', 'notion__create_page']],
    plan: {
      tasks: [
        t('issue', 'github__get_issue', { repo: 'acme/webapp', number: 3 }),
        t('page', 'notion__create_page', { title: '{{issue.structuredContent.title}}' }),
      ],
      output: ['page'],
    },
  },
  {
    id: 'standup-digest',
    request:
      'Make a stand-up digest: the open pull requests of acme/webapp, the failing CI runs of acme/webapp and the last 10 messages of #eng, all posted together to #standup.',
    tools: ['github__list_pull_requests', 'github__list_workflow_runs', 'slack__get_channel_history', 'slack__post_message'],
    edges: [
      ['github__list_pull_requests', 'slack__post_message'],
      ['github__list_workflow_runs', 'slack__post_message'],
      ['slack__get_channel_history', 'slack__post_message'],
    ],
    plan: {
      tasks: [
        t('prs', 'github__list_pull_requests', { repo: 'acme/webapp', state: 'open' }),
        t('runs', 'github__list_workflow_runs', { repo: 'acme/webapp', status: 'failure' }),
        t('eng', 'slack__get_channel_history', { channel: '#eng', limit: 10 }),
        t('post', 'slack__post_message', { channel: '#standup', text: 'PRs: {{prs.text}}\nCI: {{runs.text}}\n#eng: {{eng.text}}' }),
      ],
      output: ['post'],
    },
  },
];
