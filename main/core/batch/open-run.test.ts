import { describe, expect, it } from 'vitest';
import { ManualCalls, settled, syntheticCatalog, text } from './__fixtures__/harness.js';
import { openRun } from './executor.js';
import type { OpenTask } from './open-run.js';
import { findTemplates, referencesOf } from '../../../shared/plan-references.js';

/** An open task over the synthetic catalog; its dependencies are its `dependsOn` plus the ids its references name. */
function task(id: string, tool: string, args: Record<string, unknown> = {}, dependsOn: string[] = []): OpenTask {
  const templates = findTemplates(args);
  const named = referencesOf(templates).map((reference) => reference.taskId);
  return {
    id,
    tool,
    target: syntheticCatalog(tool)!,
    arguments: args,
    templates,
    dependsOn: [...new Set([...dependsOn, ...named])],
    retries: 0,
  };
}

describe('openRun', () => {
  it('starts each task as it is added, and a task naming one not added yet waits for it', async () => {
    const calls = new ManualCalls();
    const run = openRun({ callTool: calls.callTool });
    run.add(task('a', 's__read'));
    await calls.started('a');
    // "c" names "b", which has not come yet.
    run.add(task('c', 's__read', { input: '{{b.text}}' }));
    await settled();
    expect(calls.running).toEqual(['a']);
    run.add(task('b', 's__read', {}, ['a']));
    await settled();
    expect(calls.running).toEqual(['a']);
    await calls.succeed('a');
    await calls.succeed('b', text('from b'));
    expect((await calls.started('c')).args).toEqual({ input: 'from b' });
    await calls.succeed('c');
    run.close(['c']);
    const report = await run.done;
    expect(report.status).toBe('succeeded');
    expect(report.output).toEqual(['c']);
    expect(calls.log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('does not end before it is closed, even when every task added so far ended', async () => {
    const calls = new ManualCalls();
    const run = openRun({ callTool: calls.callTool });
    run.add(task('a', 's__read'));
    await calls.succeed('a');
    let ended = false;
    void run.done.then(() => (ended = true));
    await settled();
    expect(ended).toBe(false);
    run.add(task('b', 's__read'));
    await calls.succeed('b');
    run.close();
    expect((await run.done).tasks.map((entry) => entry.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('skips a task added after its dependency failed, and a task whose dependency never came', async () => {
    const calls = new ManualCalls();
    const run = openRun({ callTool: calls.callTool });
    run.add(task('bad', 's__read'));
    await calls.fail('bad');
    await settled();
    run.add(task('late', 's__read', {}, ['bad']));
    run.add(task('after-late', 's__read', { x: '{{late.text}}' }));
    run.add(task('orphan', 's__read', {}, ['ghost']));
    run.close();
    const report = await run.done;
    expect(report.tasks.map((entry) => [entry.id, entry.status, entry.reason])).toEqual([
      ['bad', 'failed', undefined],
      ['late', 'skipped', 'dependency "bad" failed'],
      ['after-late', 'skipped', 'dependency "late" was skipped'],
      ['orphan', 'skipped', 'dependency "ghost" is not a task'],
    ]);
    expect(calls.log).toEqual(['start bad', 'end bad']);
  });

  it('cancels what it started when told to, and takes no task after', async () => {
    const calls = new ManualCalls();
    const run = openRun({ callTool: calls.callTool });
    run.add(task('a', 's__read'));
    run.add(task('b', 's__read', {}, ['later']));
    const started = await calls.started('a');
    run.cancel('the plan has a cycle');
    expect(started.signal.aborted).toBe(true);
    expect(run.add(task('c', 's__read'))).toBe(false);
    const report = await run.done;
    expect(report.status).toBe('cancelled');
    expect(report.tasks.map((entry) => [entry.id, entry.status, entry.reason])).toEqual([
      ['a', 'cancelled', 'the plan has a cycle'],
      ['b', 'cancelled', 'the plan has a cycle'],
    ]);
  });

  it('refuses an id twice', () => {
    const calls = new ManualCalls();
    const run = openRun({ callTool: calls.callTool });
    run.add(task('a', 's__read'));
    expect(() => run.add(task('a', 's__read'))).toThrow('task "a" was already added');
    run.cancel('done');
  });
});
