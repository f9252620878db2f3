import { describe, expect, it } from 'vitest';
import { ManualCalls, settled } from '../batch/__fixtures__/harness.js';
import { useTempStores } from '../store/__fixtures__/temp-store.js';
import { Gate, ScriptedModel, WORKSPACE_TOOLS, workspaceCatalog } from './__fixtures__/scripted-model.js';
import { Planner } from './planner.js';
import { PlannerError } from './planner-error.js';

const temp = useTempStores();
const plan = (tasks: unknown[], output?: string[]) => JSON.stringify({ tasks, ...(output ? { output } : {}) });
const listIssues = { id: 'issues', tool: 'github__list_issues', arguments: { repo: 'acme/app', state: 'open' } };
const report = { id: 'report', tool: 'notion__create_page', arguments: { title: 'Open issues', content: '{{issues.text}}' } };

/** A clock that ticks once per reading: times are ordered without depending on the machine's speed. */
function ticking(): () => number {
  let now = 0;
  return () => ++now;
}

describe('Planner.plan', () => {
  it('turns a request into a validated plan, its output defaulting to the tasks nothing depends on', async () => {
    const model = new ScriptedModel([plan([listIssues, report])]);
    const planner = new Planner({ model: model.plannerModel(), now: ticking() });
    const outcome = await planner.plan('Put the open issues of acme/app on a Notion page', workspaceCatalog());
    expect(outcome.plan.output).toEqual(['report']);
    expect(outcome.waves).toEqual([['issues'], ['report']]);
    expect(outcome.graph.tasks.map((task) => task.target.server)).toEqual(['github', 'notion']);
    expect(outcome.usage).toEqual({ inputTokens: 100, outputTokens: plan([listIssues, report]).length });
    expect(outcome).toMatchObject({ cacheHit: false, repaired: false, toolsOffered: WORKSPACE_TOOLS.length });
    expect(outcome.planningMs).toBeGreaterThan(0);
    // The request, the tools and the plan schema reached the model.
    expect(model.promptText(0)).toContain('Put the open issues of acme/app on a Notion page');
    expect(model.promptText(0)).toContain('github__list_issues [read-only]');
    expect(model.calls[0]!.responseFormat).toMatchObject({ type: 'json', schema: { required: ['tasks', 'output'] } });
  });

  it('sends the problems back for one repair round, and sums the usage of both calls', async () => {
    const bad = plan([
      { id: 'issues', tool: 'github__list_isues', arguments: { repo: 'acme/app' } },
      { ...report, arguments: { title: 'x', content: '{{ghost.text}}' } },
    ]);
    const model = new ScriptedModel([bad, plan([listIssues, report])]);
    const outcome = await new Planner({ model: model.plannerModel() }).plan('issues to notion', workspaceCatalog());
    expect(outcome.repaired).toBe(true);
    expect(outcome.plan.tasks.map((task) => task.tool)).toEqual(['github__list_issues', 'notion__create_page']);
    expect(outcome.usage.inputTokens).toBe(200);
    const repairPrompt = model.promptText(1);
    expect(repairPrompt).toContain('unknown tool \\"github__list_isues\\"');
    expect(repairPrompt).toContain('{{ghost.text}} names no task');
    expect(repairPrompt).toContain('github__list_isues'); // its own answer went back too
  });

  it('repairs an answer that is not JSON, and gives up after one round with every problem', async () => {
    const fixed = await new Planner({ model: new ScriptedModel(['Sure! Here is', plan([listIssues])]).plannerModel() }).plan(
      'issues',
      workspaceCatalog(),
    );
    expect(fixed.repaired).toBe(true);
    const stubborn = new Planner({
      model: new ScriptedModel([
        'nope',
        plan([{ id: 'a', tool: 'github__get_issue', arguments: { repo: 'acme/app', number: 'one' } }]),
      ]).plannerModel(),
    });
    const error = await stubborn.plan('issue one', workspaceCatalog()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlannerError);
    expect(error).toMatchObject({ code: 'invalid_plan' });
    expect((error as PlannerError).message).toContain('still invalid after one repair round');
    expect((error as PlannerError).message).toContain('task "a": arguments.number must be integer');
  });

  it('says so when the model finds no plan', async () => {
    const planner = new Planner({ model: new ScriptedModel([plan([], [])]).plannerModel() });
    await expect(planner.plan('book me a flight', workspaceCatalog())).rejects.toMatchObject({ code: 'no_plan' });
  });

  it('caches plans in SQLite by normalised request and catalog version, and counts hits and misses', async () => {
    const store = temp.open();
    const model = new ScriptedModel([plan([listIssues]), plan([listIssues])]);
    const planner = new Planner({ model: model.plannerModel(), cache: store.planCache });
    const catalog = workspaceCatalog();
    const first = await planner.plan('List open issues of acme/app', catalog);
    const second = await planner.plan('  List open   issues of acme/app ', catalog);
    expect(first.cacheHit).toBe(false);
    expect(second).toMatchObject({ cacheHit: true, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(second.plan).toEqual(first.plan);
    expect(model.calls).toHaveLength(1);
    // Another catalog (one tool less) is another version: the model is asked again.
    const third = await planner.plan('List open issues of acme/app', workspaceCatalog(WORKSPACE_TOOLS.slice(0, 4)));
    expect(third.cacheHit).toBe(false);
    expect(model.calls).toHaveLength(2);
    expect(store.planCache.stats()).toEqual({ hits: 1, misses: 2, entries: 2 });
  });

  it('offers the model the 40 most relevant tools of a large catalog, with the ones the request names', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => ({
      server: `s${i % 6}`,
      plain: `tool_${i}`,
      name: `s${i % 6}__tool_${i}`,
      description: `Lists open issues of kind ${i}`,
      inputSchema: { type: 'object' },
    }));
    const tools = [
      ...filler,
      ...WORKSPACE_TOOLS,
      {
        server: 'zz',
        plain: 'obscure_export',
        name: 'zz__obscure_export',
        description: 'Exports widgets',
        inputSchema: { type: 'object' },
      },
    ];
    const model = new ScriptedModel([plan([listIssues])]);
    const outcome = await new Planner({ model: model.plannerModel() }).plan(
      'list the open issues of acme/app, then run obscure_export',
      workspaceCatalog(tools),
    );
    expect(outcome.toolsOffered).toBe(40);
    const prompt = model.promptText(0);
    expect(prompt).toContain('github__list_issues');
    expect(prompt).toContain('zz__obscure_export');
    expect(prompt.match(/\\n- [a-z0-9]+__/g)).toHaveLength(40);
  });

  it('optimises the plan: identical reads merged, needless waits between reads dropped, writes sharing a target ordered', async () => {
    const tasks = [
      listIssues,
      { id: 'again', tool: 'github__list_issues', arguments: { state: 'open', repo: 'acme/app' } },
      { id: 'one', tool: 'github__get_issue', arguments: { repo: 'acme/app', number: 1 }, dependsOn: ['issues'] },
      { id: 'post1', tool: 'slack__post_message', arguments: { channel: '#eng', text: '{{again.text}}' } },
      { id: 'post2', tool: 'slack__post_message', arguments: { channel: '#eng', text: '{{one.text}}' } },
      { id: 'other', tool: 'slack__post_message', arguments: { channel: '#random', text: 'hello' } },
    ];
    const outcome = await new Planner({
      model: new ScriptedModel([plan(tasks, ['post1', 'post2', 'other', 'again'])]).plannerModel(),
    }).plan('x', workspaceCatalog());
    expect(outcome.plan.tasks.map((task) => task.id)).toEqual(['issues', 'one', 'post1', 'post2', 'other']);
    expect(outcome.plan.tasks[2]!.arguments).toEqual({ channel: '#eng', text: '{{issues.text}}' });
    expect(outcome.plan.output).toEqual(['issues', 'post1', 'post2', 'other']);
    expect(outcome.waves).toEqual([['issues', 'one', 'other'], ['post1'], ['post2']]);
    expect(outcome.notes).toEqual([
      '"again" is the same call as "issues": merged into it',
      '"one" no longer waits for "issues": both only read, and "one" uses nothing of it',
      '"post2" waits for "post1": both change slack and share "#eng"',
    ]);
  });
});

describe('Planner.run (streaming into the executor)', () => {
  it('starts the first task while the plan is still streaming, and reports both times', async () => {
    const gate = new Gate();
    const text = plan([listIssues, report]);
    const cut = text.indexOf('{"id":"report"');
    const model = new ScriptedModel([[text.slice(0, cut), gate, text.slice(cut)]]);
    const calls = new ManualCalls();
    const planner = new Planner({ model: model.plannerModel(), now: ticking() });
    const running = planner.run('issues to notion', workspaceCatalog(), { callTool: calls.callTool });
    // The stream waits at the gate: the plan is not complete, and "issues" has started.
    await calls.started('issues');
    gate.open();
    await calls.succeed('issues');
    await calls.succeed('report');
    const done = await running;
    expect(done.report!.status).toBe('succeeded');
    expect(done.startedBeforePlanComplete).toBe(true);
    expect(done.firstCallMs!).toBeLessThan(done.planningMs);
    expect(done.report!.output).toEqual(['report']);
    expect(calls.log).toEqual(['start issues', 'end issues', 'start report', 'end report']);
  });

  it('holds tasks that change things until the whole plan is valid', async () => {
    const gate = new Gate();
    const post = { id: 'post', tool: 'slack__post_message', arguments: { channel: '#eng', text: 'hi' } };
    const text = plan([post, listIssues, { id: 'one', tool: 'github__get_issue', arguments: { repo: 'acme/app', number: 2 } }]);
    const cut = text.indexOf('{"id":"one"');
    const calls = new ManualCalls();
    const planned: string[][] = [];
    const running = new Planner({ model: new ScriptedModel([[text.slice(0, cut), gate, text.slice(cut)]]).plannerModel() }).run(
      'x',
      workspaceCatalog(),
      {
        callTool: calls.callTool,
        onPlanned: (final) => planned.push([...calls.running, '|', ...final.plan.tasks.map((task) => task.id)]),
      },
    );
    await calls.started('issues');
    // "post" came first in the stream, but the plan is not complete yet.
    expect(calls.running).toEqual(['issues']);
    gate.open();
    await calls.started('post');
    for (const id of ['issues', 'post', 'one']) await calls.succeed(id);
    const done = await running;
    expect(done.report!.status).toBe('succeeded');
    // Told of the plan before "post" joined; the report in plan order, though "post" joined last.
    expect(planned).toEqual([['issues', 'one', '|', 'post', 'issues', 'one']]);
    expect(done.report!.tasks.map((task) => task.id)).toEqual(['post', 'issues', 'one']);
  });

  it('cancels what it started when the plan turns out cyclic, then runs the repaired plan whole', async () => {
    const gate = new Gate();
    const cyclic = plan([
      listIssues,
      { id: 'b', tool: 'github__get_issue', arguments: { repo: '{{c.structuredContent.title}}', number: 2 } },
      { id: 'c', tool: 'github__get_issue', arguments: { repo: '{{b.structuredContent.title}}', number: 3 } },
    ]);
    const cut = cyclic.indexOf('{"id":"b"');
    const model = new ScriptedModel([[cyclic.slice(0, cut), gate, cyclic.slice(cut)], plan([listIssues])]);
    const calls = new ManualCalls();
    const running = new Planner({ model: model.plannerModel() }).run('x', workspaceCatalog(), { callTool: calls.callTool });
    const first = await calls.started('issues');
    gate.open();
    // The cycle is known once the plan is complete: the call in flight is aborted.
    await new Promise<void>((resolve) => first.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(String(first.signal.reason)).toContain('the plan turned out invalid: cycle: b → c → b');
    await settled();
    await calls.succeed('issues');
    const done = await running;
    expect(done).toMatchObject({ repaired: true, startedBeforePlanComplete: false });
    expect(done.report!.status).toBe('succeeded');
    expect(model.promptText(1)).toContain('cycle: b → c → b');
    expect(calls.log).toEqual(['start issues', 'end issues', 'start issues', 'end issues']);
  });

  it('reports the cancelled run when the repair fails too', async () => {
    const cyclic = plan([
      listIssues,
      { id: 'b', tool: 'github__get_issue', arguments: { repo: 'acme/app', number: 1 }, dependsOn: ['c'] },
      { id: 'c', tool: 'github__get_issue', arguments: { repo: 'acme/app', number: 2 }, dependsOn: ['b'] },
    ]);
    const calls = new ManualCalls();
    const running = new Planner({ model: new ScriptedModel([cyclic, cyclic]).plannerModel() }).run('x', workspaceCatalog(), {
      callTool: calls.callTool,
    });
    const error = (await running.catch((caught: unknown) => caught)) as PlannerError;
    expect(error.code).toBe('invalid_plan');
    expect(error.message).toContain('cycle: b → c → b');
  });

  it('cancels what started when the model stream breaks, and says why', async () => {
    const gate = new Gate();
    const text = plan([listIssues, report]);
    const cut = text.indexOf('{"id":"report"');
    const calls = new ManualCalls();
    const model = new ScriptedModel([[text.slice(0, cut), gate, new Error('socket hang up')]]);
    const running = new Planner({ model: model.plannerModel() }).run('x', workspaceCatalog(), { callTool: calls.callTool });
    const started = await calls.started('issues');
    gate.open();
    const error = (await running.catch((caught: unknown) => caught)) as PlannerError;
    expect(error).toBeInstanceOf(PlannerError);
    expect(error.code).toBe('stream_cut');
    expect(started.signal.aborted).toBe(true);
    expect((error.details.report as { status: string }).status).toBe('cancelled');
  });

  it('runs a cached plan without asking the model, and plans only on a dry run', async () => {
    const model = new ScriptedModel([plan([listIssues])]);
    const planner = new Planner({ model: model.plannerModel(), cache: temp.open().planCache });
    const dry = await planner.run('open issues', workspaceCatalog(), {
      callTool: () => Promise.reject(new Error('must not run')),
      dryRun: true,
    });
    expect(dry.report).toBeUndefined();
    const calls = new ManualCalls();
    const running = planner.run('open issues', workspaceCatalog(), { callTool: calls.callTool });
    await calls.succeed('issues');
    const done = await running;
    expect(done).toMatchObject({ cacheHit: true, report: { status: 'succeeded' } });
    expect(model.calls).toHaveLength(1);
  });

  it('asks approval for the held tasks once the plan is complete, and cancels the run when it is declined', async () => {
    const post = { id: 'post', tool: 'slack__post_message', arguments: { channel: '#eng', text: '{{issues.text}}' } };
    const calls = new ManualCalls();
    const asked: string[][] = [];
    const running = new Planner({ model: new ScriptedModel([[plan([listIssues, post])]]).plannerModel() }).run('x', workspaceCatalog(), {
      callTool: calls.callTool,
      approve: (tools) => {
        asked.push(tools);
        return Promise.resolve(false);
      },
    });
    const done = await running;
    expect(asked).toEqual([['slack__post_message']]);
    expect(done.report!.status).toBe('cancelled');
    expect(done.report!.tasks.map((task) => [task.id, task.status])).toEqual([['issues', 'cancelled']]);
    expect(calls.log).toEqual(['start issues', 'end issues']);
  });

  it('runs every task of a plan larger than what it checks task by task while streaming', async () => {
    const tasks = Array.from({ length: 230 }, (_, i) => ({
      id: `t${i}`,
      tool: 'github__get_issue',
      arguments: { repo: 'acme/app', number: i },
    }));
    const text = plan(tasks);
    const pieces = Array.from({ length: Math.ceil(text.length / 500) }, (_, i) => text.slice(i * 500, (i + 1) * 500));
    const answered: string[] = [];
    const done = await new Planner({ model: new ScriptedModel([pieces]).plannerModel() }).run('x', workspaceCatalog(), {
      callTool: (task) => {
        answered.push(task.id);
        return Promise.resolve({ content: [{ type: 'text', text: 'ok' }] });
      },
    });
    expect(done.report!.status).toBe('succeeded');
    expect(done.report!.tasks).toHaveLength(230);
    expect(new Set(answered).size).toBe(230);
  });

  it('asks approval before a complete (cached) plan runs, and runs nothing when declined', async () => {
    const post = { id: 'post', tool: 'slack__post_message', arguments: { channel: '#eng', text: 'hi' } };
    const planner = new Planner({ model: new ScriptedModel([plan([post])]).plannerModel(), cache: temp.open().planCache });
    await planner.plan('say hi', workspaceCatalog());
    const called: string[] = [];
    const done = await planner.run('say hi', workspaceCatalog(), {
      callTool: (task) => {
        called.push(task.id);
        return Promise.resolve({ content: [] });
      },
      approve: (tools) => Promise.resolve(!tools.includes('slack__post_message')),
    });
    expect(done).toMatchObject({ cacheHit: true, report: { status: 'cancelled' } });
    expect(called).toEqual([]);
  });
});
