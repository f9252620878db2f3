import { describe, expect, it } from 'vitest';
import { batchPlanSchema } from '../../../shared/batch-plan.js';
import { batchToolDefinition, compactReport, truncateText } from './batch-tool.js';
import type { RunReport } from './run-report.js';

describe('batch_execute', () => {
  it('takes the plan schema as its input schema', () => {
    const tool = batchToolDefinition('aggregate');
    const schema = tool.inputSchema as { type: string; required: string[]; properties: Record<string, { default?: unknown }> };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['tasks']);
    expect(schema.properties.onError?.default).toBe('continue');
    expect(batchPlanSchema.safeParse({ tasks: [{ id: 'a', tool: 'x' }] }).success).toBe(true);
  });

  it('cuts long text with a note of how much was left out', () => {
    expect(truncateText('short', 10)).toEqual({ text: 'short', truncated: false });
    expect(truncateText('x'.repeat(25), 10)).toEqual({ text: `${'x'.repeat(10)}… [truncated: 15 more characters]`, truncated: true });
  });

  it('reports each task compactly: long text cut, structured content kept only whole', () => {
    const report: RunReport = {
      status: 'failed',
      startedAt: 0,
      endedAt: 100,
      wallTimeMs: 100,
      taskTimeMs: 180.04,
      speedup: 1.8004,
      tasks: [
        {
          id: 'long',
          tool: 's__long',
          server: 's',
          status: 'succeeded',
          attempts: 1,
          startedAt: 0,
          endedAt: 90,
          durationMs: 90,
          result: { content: [{ type: 'text', text: 'y'.repeat(50) }] },
        },
        {
          id: 'big',
          tool: 's__big',
          server: 's',
          status: 'succeeded',
          attempts: 1,
          durationMs: 90.04,
          result: { content: [], structuredContent: { items: 'z'.repeat(50) } },
        },
        {
          id: 'bad',
          tool: 's__bad',
          server: 's',
          status: 'failed',
          attempts: 3,
          durationMs: 0,
          result: { content: [{ type: 'text', text: 'nope' }], isError: true },
          error: { code: 'tool_error', message: 'nope' },
        },
        { id: 'next', tool: 's__next', server: 's', status: 'skipped', attempts: 0, reason: 'dependency "bad" failed' },
      ],
    };
    expect(compactReport('run-1', report, 20, ['a warning'])).toEqual({
      runId: 'run-1',
      status: 'failed',
      wallTimeMs: 100,
      taskTimeMs: 180,
      speedup: 1.8,
      warnings: ['a warning'],
      tasks: [
        {
          id: 'long',
          tool: 's__long',
          status: 'succeeded',
          durationMs: 90,
          text: `${'y'.repeat(20)}… [truncated: 30 more characters]`,
          truncated: true,
        },
        { id: 'big', tool: 's__big', status: 'succeeded', durationMs: 90, truncated: true },
        {
          id: 'bad',
          tool: 's__bad',
          status: 'failed',
          durationMs: 0,
          attempts: 3,
          text: 'nope',
          isError: true,
          error: { code: 'tool_error', message: 'nope' },
        },
        { id: 'next', tool: 's__next', status: 'skipped', reason: 'dependency "bad" failed' },
      ],
    });
  });

  it('gives back only the results of the output tasks, with every status, error and reason', () => {
    const report: RunReport = {
      status: 'failed',
      startedAt: 0,
      endedAt: 10,
      wallTimeMs: 10,
      taskTimeMs: 10,
      speedup: 1,
      output: ['page'],
      tasks: [
        {
          id: 'issues',
          tool: 's__list',
          server: 's',
          status: 'succeeded',
          attempts: 1,
          durationMs: 4,
          result: { content: [{ type: 'text', text: 'a long list' }], structuredContent: { items: [1] } },
        },
        {
          id: 'bad',
          tool: 's__get',
          server: 's',
          status: 'failed',
          attempts: 1,
          durationMs: 1,
          result: { content: [{ type: 'text', text: 'nope' }], isError: true },
          error: { code: 'tool_error', message: 'nope' },
        },
        {
          id: 'page',
          tool: 's__create',
          server: 's',
          status: 'succeeded',
          attempts: 1,
          durationMs: 5,
          result: { content: [{ type: 'text', text: 'created' }] },
        },
      ],
    };
    expect(compactReport('run-2', report, 100)).toMatchObject({
      output: ['page'],
      tasks: [
        { id: 'issues', tool: 's__list', status: 'succeeded', durationMs: 4 },
        { id: 'bad', tool: 's__get', status: 'failed', durationMs: 1, error: { code: 'tool_error', message: 'nope' } },
        { id: 'page', tool: 's__create', status: 'succeeded', durationMs: 5, text: 'created' },
      ],
    });
    const [issues, bad] = compactReport('run-2', report, 100).tasks;
    expect(issues).not.toHaveProperty('text');
    expect(issues).not.toHaveProperty('structuredContent');
    expect(bad).not.toHaveProperty('text');
  });
});
