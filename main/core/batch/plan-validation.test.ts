import { describe, expect, it } from 'vitest';
import { catalog } from './__fixtures__/catalog.js';
import { checkPlan, formatProblems, validatePlan, type Problem } from './plan-validation.js';
import type { ToolCatalog } from './plan-graph.js';
import type { PlanLike } from './types.js';

function problemsOf(plan: PlanLike): Problem[] {
  const result = validatePlan(plan, catalog);
  return result.ok ? [] : result.problems;
}

const list = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tool: 'gh__list_issues',
  arguments: { repo: 'acme/app', ...extra },
});

describe('validatePlan', () => {
  it('builds the graph: dependencies from references merged with dependsOn, each once', () => {
    const result = validatePlan(
      {
        tasks: [
          list('issues'),
          list('prs'),
          { id: 'close', tool: 'gh__close_issue', arguments: { number: '{{issues.structuredContent.items[0].number}}' }, retries: 2 },
          {
            id: 'report',
            tool: 'notion__create_page',
            arguments: { title: 'Weekly', content: '{{issues.text}} / {{prs.structuredContent.total}}' },
            dependsOn: ['issues', 'close'],
            retries: 3,
          },
        ],
      },
      catalog,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [issues, prs, close, report] = result.graph.tasks;
    expect(report!.dependencies.sort()).toEqual([0, 1, 2]);
    expect(issues!.dependents.sort()).toEqual([2, 3]);
    expect(prs!.dependents).toEqual([3]);
    expect(close!.target).toMatchObject({ server: 'gh', name: 'close_issue' });
    expect(close!.retries).toBe(2);
    expect(report!.retries).toBe(0);
    expect(result.warnings).toEqual(['task "report": retries ignored, "notion__create_page" is neither read-only nor idempotent']);
    expect(result.graph).toMatchObject({ maxConcurrency: 32, onError: 'continue' });
  });

  it('reports an unknown tool', () => {
    expect(problemsOf({ tasks: [{ id: 'a', tool: 'nope__tool' }] })).toEqual([
      { code: 'unknown_tool', taskId: 'a', path: ['tasks', 0, 'tool'], message: 'task "a": unknown tool "nope__tool"' },
    ]);
  });

  it('reports a duplicate id and an unknown dependsOn', () => {
    expect(problemsOf({ tasks: [list('a'), list('a'), { ...list('b'), dependsOn: ['ghost'] }] }).map((p) => p.message)).toEqual([
      'duplicate task id "a" (tasks 0 and 1)',
      'task "b" depends on "ghost", which is not a task',
    ]);
  });

  it('reports a reference to an id that is not a task', () => {
    expect(problemsOf({ tasks: [{ id: 'a', tool: 'notion__anything', arguments: { x: 'see {{ghost.text}}' } }] })).toEqual([
      { code: 'unknown_reference', taskId: 'a', path: ['tasks', 0, 'arguments', 'x'], message: 'task "a": {{ghost.text}} names no task' },
    ]);
  });

  it('reports reference paths that cannot exist, using the output schema', () => {
    const problems = problemsOf({
      tasks: [
        list('a'),
        {
          id: 'b',
          tool: 'notion__anything',
          arguments: {
            p: '{{a.foo}}',
            q: '{{a.structuredContent.nope}}',
            r: '{{a.text.first}}',
            s: '{{a.content.first}}',
            t: '{{a.content[x]}}',
            ok: ['{{a.structuredContent.items[3].number}}', '{{a.content[0].text}}', '{{a._meta.anything}}'],
          },
        },
      ],
    });
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['invalid_reference', 'task "b": {{a.content[x]}} is not a valid reference'],
      [
        'invalid_reference',
        'task "b": {{a.foo}} cannot exist: a result has no "foo" (use text, content, structuredContent, isError, _meta)',
      ],
      [
        'invalid_reference',
        'task "b": {{a.structuredContent.nope}} cannot exist: the output schema of the tool of "a" has no structuredContent.nope',
      ],
      ['invalid_reference', 'task "b": {{a.text.first}} cannot exist: "text" is a string; only ".length" may follow it'],
      ['invalid_reference', 'task "b": {{a.content.first}} cannot exist: "content" is an array: use content[0]'],
    ]);
  });

  it('names a cycle, including one made only of references, and a task depending on itself', () => {
    const problems = problemsOf({
      tasks: [
        { ...list('a'), dependsOn: ['c'] },
        { id: 'b', tool: 'notion__anything', arguments: { x: '{{a.text}}' } },
        { id: 'c', tool: 'notion__anything', arguments: { x: '{{b}}' } },
        { ...list('d'), dependsOn: ['d'] },
        list('free'),
      ],
    });
    expect(problems.map((p) => p.message)).toEqual([
      'cycle: a → c → b → a (each task depends on the next)',
      'cycle: d → d (each task depends on the next)',
    ]);
  });

  it('reports arguments that fail the input schema', () => {
    const problems = problemsOf({
      tasks: [
        { id: 'a', tool: 'gh__list_issues', arguments: { state: 'merged', limit: 0, extra: true } },
        { id: 'b', tool: 'notion__create_page', arguments: { title: '', count: 'three', mode: 'c' } },
      ],
    });
    expect(problems.map((p) => p.message)).toEqual([
      `task "a": arguments must have required property 'repo'`,
      'task "a": arguments must NOT have additional properties ("extra")',
      'task "a": arguments.state must be equal to one of the allowed values: "open", "closed"',
      'task "a": arguments.limit must be >= 1',
      'task "b": arguments.title must NOT have fewer than 1 characters',
      'task "b": arguments.count must be integer',
      'task "b": arguments.mode must be equal to one of the allowed values: "a", "b"',
      'task "b": arguments.mode must be integer',
      'task "b": arguments.mode must match a schema in anyOf',
    ]);
    expect(problems.every((p) => p.code === 'invalid_arguments')).toBe(true);
  });

  it('checks arguments with references as values of their known type, else as anything', () => {
    const page = (args: Record<string, unknown>) => ({ id: 'b', tool: 'notion__create_page', arguments: { title: 'T', ...args } });
    const check = (args: Record<string, unknown>) => problemsOf({ tasks: [list('a'), page(args)] }).map((p) => p.message);
    // Unknown type, or known and fitting: accepted whatever the content constraints (minLength, enum, anyOf, uniqueItems).
    expect(check({ title: '{{a.text}}', count: '{{a.structuredContent.total}}', flag: '{{a.isError}}', content: '{{a}}' })).toEqual([]);
    expect(check({ mode: '{{a.text}}', tags: ['x', '{{a.text}}'], count: '{{a.structuredContent.items[0].number}}' })).toEqual([]);
    // A type no value of the reference can fit.
    expect(check({ count: '{{a.text}}' })).toEqual(['task "b": arguments.count must be integer']);
    expect(check({ count: 'n={{a.structuredContent.total}}' })).toEqual(['task "b": arguments.count must be integer']);
    expect(check({ flag: '{{a.structuredContent.items}}' })).toEqual(['task "b": arguments.flag must be boolean']);
    // An escape is known now: it is checked as the literal it becomes.
    expect(check({ count: '\\{{a.text}}' })).toEqual(['task "b": arguments.count must be integer']);
  });

  it('accepts the arguments of a tool whose schema does not compile, with a warning', () => {
    const broken: ToolCatalog = (tool) =>
      tool === 'x__broken'
        ? { server: 'x', name: 'broken', inputSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } }
        : catalog(tool);
    const result = validatePlan({ tasks: [{ id: 'a', tool: 'x__broken', arguments: { a: 1 } }] }, broken);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^task "a": the input schema of "broken" does not compile \(.+\); arguments not checked$/),
    ]);
  });

  it('lists every problem of a plan at once', () => {
    const plan: PlanLike = {
      tasks: [
        { id: 'a', tool: 'gh__list_issues', arguments: {} },
        { id: 'a', tool: 'nope' },
        { id: 'b', tool: 'notion__anything', dependsOn: ['ghost', 'c'], arguments: { x: '{{ghost2.text}}', y: '{{a.bogus}}' } },
        { id: 'c', tool: 'notion__anything', arguments: { x: '{{b.text}}' } },
      ],
    };
    const problems = problemsOf(plan);
    expect(new Set(problems.map((p) => p.code))).toEqual(
      new Set([
        'duplicate_id',
        'unknown_tool',
        'unknown_dependency',
        'unknown_reference',
        'invalid_reference',
        'cycle',
        'invalid_arguments',
      ]),
    );
    expect(formatProblems(problems)).toBe(
      [
        'The plan has 7 problems:',
        '- duplicate task id "a" (tasks 0 and 1)',
        '- task "a": unknown tool "nope"',
        '- task "b" depends on "ghost", which is not a task',
        '- task "b": {{ghost2.text}} names no task',
        '- task "b": {{a.bogus}} cannot exist: a result has no "bogus" (use text, content, structuredContent, isError, _meta)',
        '- cycle: b → c → b (each task depends on the next)',
        `- task "a": arguments must have required property 'repo'`,
      ].join('\n'),
    );
  });

  it('validates a chain of 10,000 tasks without deep recursion', () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) => ({
      id: `t${i}`,
      tool: 'notion__anything',
      arguments: i ? { x: `{{t${i - 1}.text}}` } : {},
    }));
    const result = validatePlan({ tasks }, catalog);
    expect(result.ok).toBe(true);
    tasks[0]!.arguments = { x: '{{t9999}}' };
    const cyclic = validatePlan({ tasks }, catalog);
    expect(cyclic.ok ? [] : cyclic.problems.map((p) => p.code)).toEqual(['cycle']);
  });
});

describe('checkPlan', () => {
  it('reports shape problems of an untrusted plan', () => {
    const result = checkPlan({ tasks: [{ id: 'a.b', tool: 'gh__list_issues' }], onError: 'panic' }, catalog);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.path])).toEqual([
      ['invalid_plan', ['tasks', 0, 'id']],
      ['invalid_plan', ['onError']],
    ]);
  });

  it('applies the defaults and validates the rest', () => {
    const result = checkPlan({ tasks: [{ id: 'a', tool: 'gh__list_issues', arguments: { repo: 'acme/app' } }], onError: 'stop' }, catalog);
    expect(result.ok && result.graph).toMatchObject({ onError: 'stop', maxConcurrency: 32 });
  });
});

describe('output', () => {
  const plan = (output?: string[]): PlanLike => ({
    tasks: [list('issues'), list('prs'), { id: 'page', tool: 'notion__create_page', arguments: { title: '{{issues.text}}' } }],
    ...(output ? { output } : {}),
  });

  it('keeps the tasks the plan names, in plan order, each once', () => {
    const result = validatePlan(plan(['page', 'issues', 'page']), catalog);
    expect(result.ok && result.graph.output).toEqual([0, 2]);
  });

  it('defaults to every task, or to the tasks nothing depends on when asked', () => {
    const all = validatePlan(plan(), catalog);
    expect(all.ok && all.graph.output).toBeUndefined();
    const sinks = validatePlan(plan(), catalog, { defaultOutput: 'sinks' });
    expect(sinks.ok && sinks.graph.output).toEqual([1, 2]);
  });

  it('refuses an output naming no task', () => {
    expect(problemsOf(plan(['ghost'])).map((p) => [p.code, p.message])).toEqual([
      ['unknown_output', 'output names "ghost", which is not a task'],
    ]);
    const shape = checkPlan({ tasks: [list('a')], output: ['a.b'] }, catalog);
    expect(shape.ok ? [] : shape.problems.map((p) => p.code)).toEqual(['invalid_plan']);
  });
});
