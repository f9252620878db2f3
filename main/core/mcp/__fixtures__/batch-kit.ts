/**
 * Test support for the batch_execute tests: the batch fixture server, calling `batch_execute` with
 * an SDK client, and reading its report and what a fixture server recorded.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { CompactReport } from '../../batch/batch-tool.js';

export const BATCH_SERVER = new URL('../../batch/__fixtures__/batch-server.mjs', import.meta.url).pathname;

export interface CallResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Calls `batch_execute` with `plan`. */
export async function batch(
  client: Client,
  plan: unknown,
  options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal } = {},
): Promise<CallResult> {
  return (await client.callTool({ name: 'batch_execute', arguments: plan as Record<string, unknown> }, undefined, options)) as CallResult;
}

/** The report of a successful `batch_execute`, checked to be the same as text and as structured content. */
export const report = (result: CallResult): CompactReport => {
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent);
  return result.structuredContent as unknown as CompactReport;
};

export const task = (result: CompactReport, id: string) => result.tasks.find((entry) => entry.id === id)!;

/** What a batch fixture server recorded, in order (`start x`, `end x`, `write y`). */
export async function serverEvents(client: Client, tool = 'a__events'): Promise<string[]> {
  const result = (await client.callTool({ name: tool, arguments: {} })) as CallResult;
  return (result.structuredContent as { events: string[] }).events;
}
