/**
 * Test helpers for the planner: the AI SDK's mock language model answering a script (whole or
 * streamed in pieces, with gates the test opens), and a small catalog of tools with real schemas.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import type { CatalogTool } from '../../batch/plan-graph.js';
import type { PlannerModel } from '../language-model.js';
import { plannerCatalog, type PlannerCatalog, type PlannerTool } from '../planner-catalog.js';

/** A point in a streamed answer where the stream waits until the test opens it. */
export class Gate {
  private release: () => void = () => {};
  readonly passed = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
}

/** One answer: the text whole, or pieces of it streamed in order, gates in between; or an error thrown from the stream. */
export type ScriptedAnswer = string | (string | Gate | Error)[];

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** A mock model answering `answers` in order, whatever the call (generate or stream); records every call's options. */
export class ScriptedModel {
  readonly calls: LanguageModelV3CallOptions[] = [];
  readonly mock: MockLanguageModelV3;
  private next = 0;

  constructor(private readonly answers: ScriptedAnswer[]) {
    this.mock = new MockLanguageModelV3({
      doGenerate: (options) => {
        this.calls.push(options);
        const text = piecesOf(this.take())
          .filter((piece): piece is string => typeof piece === 'string')
          .join('');
        return Promise.resolve({
          content: [{ type: 'text', text }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: usage(100, text.length),
          warnings: [],
        });
      },
      doStream: (options) => {
        this.calls.push(options);
        return Promise.resolve({ stream: streamOf(piecesOf(this.take())) });
      },
    });
  }

  /** The text of the prompt of call `index` (system and messages). */
  promptText(index: number): string {
    return JSON.stringify(this.calls[index]?.prompt ?? []);
  }

  private take(): ScriptedAnswer {
    const answer = this.answers[this.next++];
    if (answer === undefined) throw new Error('the scripted model has no more answers');
    return answer;
  }

  /** The planner's view of the model. */
  plannerModel(overrides: Partial<PlannerModel> = {}): PlannerModel {
    return {
      model: this.mock,
      label: 'mock (scripted)',
      identity: 'mock',
      providerOptions: {},
      maxOutputTokens: 4000,
      temperature: 0,
      maxRetries: 0,
      timeoutMs: 30_000,
      maxTools: 40,
      ...overrides,
    };
  }
}

function piecesOf(answer: ScriptedAnswer): (string | Gate | Error)[] {
  return typeof answer === 'string' ? [answer] : answer;
}

function streamOf(pieces: (string | Gate | Error)[]): ReadableStream<LanguageModelV3StreamPart> {
  let length = 0;
  let at = 0;
  return new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      controller.enqueue({ type: 'stream-start', warnings: [] });
      controller.enqueue({ type: 'text-start', id: 't' });
    },
    async pull(controller) {
      const piece = pieces[at++];
      if (piece === undefined) {
        controller.enqueue({ type: 'text-end', id: 't' });
        controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(100, length) });
        controller.close();
      } else if (piece instanceof Gate) {
        await piece.passed;
      } else if (piece instanceof Error) {
        controller.error(piece);
      } else {
        length += piece.length;
        controller.enqueue({ type: 'text-delta', id: 't', delta: piece });
      }
    },
  });
}

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** Tools of a small workspace: reads and writes on github, notion and slack. */
export const WORKSPACE_TOOLS: (PlannerTool & { server: string; plain: string })[] = [
  {
    server: 'github',
    plain: 'list_issues',
    name: 'github__list_issues',
    description: 'List issues of a repository',
    annotations: { readOnlyHint: true },
    inputSchema: object({ repo: { type: 'string' }, state: { enum: ['open', 'closed'] } }, ['repo']),
  },
  {
    server: 'github',
    plain: 'get_issue',
    name: 'github__get_issue',
    description: 'Get one issue with its comments',
    annotations: { readOnlyHint: true },
    inputSchema: object({ repo: { type: 'string' }, number: { type: 'integer' } }, ['repo', 'number']),
    outputSchema: object({ title: { type: 'string' }, body: { type: 'string' } }),
  },
  {
    server: 'github',
    plain: 'create_issue',
    name: 'github__create_issue',
    description: 'Open a new issue',
    annotations: { readOnlyHint: false },
    inputSchema: object({ repo: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' } }, ['repo', 'title']),
  },
  {
    server: 'notion',
    plain: 'create_page',
    name: 'notion__create_page',
    description: 'Create a Notion page',
    inputSchema: object({ title: { type: 'string' }, content: { type: 'string' } }, ['title']),
  },
  {
    server: 'slack',
    plain: 'post_message',
    name: 'slack__post_message',
    description: 'Post a message to a Slack channel',
    inputSchema: object({ channel: { type: 'string' }, text: { type: 'string' } }, ['channel', 'text']),
  },
];

/** A catalog over `tools` (default: the workspace's), resolving the names as the aggregate does. */
export function workspaceCatalog(tools: (PlannerTool & { server: string; plain: string })[] = WORKSPACE_TOOLS): PlannerCatalog {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  return plannerCatalog(
    tools.map(({ server: _server, plain, ...tool }) => ({ ...tool, plainName: plain })),
    (name): CatalogTool | undefined => {
      const tool = byName.get(name);
      return (
        tool && {
          server: tool.server,
          name: tool.plain,
          inputSchema: tool.inputSchema,
          outputSchema: tool.outputSchema,
          annotations: tool.annotations,
        }
      );
    },
  );
}
