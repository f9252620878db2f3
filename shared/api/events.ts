/**
 * The live events of `GET /api/events` (docs/specification.md §7, §9): one union, told apart by `type`. Over SSE each
 * event is sent as `event: <type>` with the JSON of the whole object as `data:`.
 */
import { z } from 'zod';
import { RUN_STATUSES, TASK_STATUSES, taskIdSchema } from '../batch-plan.js';
import { LIST_KINDS } from '../catalog.js';
import { callEntrySchema } from './operations/calls.js';
import { issueSchema, serverName, timestamp } from './operations/common.js';
import { modeSchema, reloadDiffSchema } from './operations/config.js';
import { processSampleSchema } from './operations/metrics.js';
import { logEntrySchema, serverStateSchema, serverStatusSchema } from './operations/servers.js';

/** A server changed state. */
export const serverStateEventSchema = z.object({
  type: z.literal('server.state'),
  time: timestamp,
  status: serverStatusSchema,
  previous: serverStateSchema,
});

/** A proxied request ended (the call log entry). */
export const callEventSchema = z.object({
  type: z.literal('call'),
  time: timestamp,
  call: callEntrySchema,
});

/** A run or one of its tasks moved on. */
export const runProgressEventSchema = z.object({
  type: z.literal('run.progress'),
  time: timestamp,
  runId: z.string(),
  status: z.enum(RUN_STATUSES),
  /** The task that changed, when one did. */
  task: z
    .object({
      id: taskIdSchema,
      status: z.enum(TASK_STATUSES),
      durationMs: z.number().nonnegative().optional(),
      error: z.string().optional(),
    })
    .optional(),
  /** Tasks per status, after the change. */
  counts: z.partialRecord(z.enum(TASK_STATUSES), z.number().int().nonnegative()),
});

/** The configuration was applied, or a change to the file was rejected. */
export const configReloadEventSchema = z.object({
  type: z.literal('config.reload'),
  time: timestamp,
  ok: z.boolean(),
  issues: z.array(issueSchema).optional(),
  diff: reloadDiffSchema.optional(),
  needsRestart: z.array(z.string()).optional(),
});

/** The daemon's mode changed (the dashboard, the tray, the CLI, the config file): proxy or batch. */
export const modeChangedEventSchema = z.object({
  type: z.literal('mode.changed'),
  time: timestamp,
  mode: modeSchema,
});

/** A server's catalog changed (list_changed, restart, a tool switched on or off). */
export const toolsChangedEventSchema = z.object({
  type: z.literal('tools.changed'),
  time: timestamp,
  server: serverName,
  kinds: z.array(z.enum(LIST_KINDS)),
});

/** CPU and memory of every running child, sampled every few seconds while someone listens. */
export const serverResourcesEventSchema = z.object({
  type: z.literal('server.resources'),
  time: timestamp,
  samples: z.array(processSampleSchema),
});

/** A line a server wrote to stderr (or stray stdout), or a supervisor note: the live log tail. */
export const serverLogEventSchema = z.object({
  type: z.literal('server.log'),
  time: timestamp,
  server: serverName,
  entry: logEntrySchema,
});

export const orchEventSchema = z.discriminatedUnion('type', [
  serverStateEventSchema,
  callEventSchema,
  runProgressEventSchema,
  configReloadEventSchema,
  modeChangedEventSchema,
  toolsChangedEventSchema,
  serverResourcesEventSchema,
  serverLogEventSchema,
]);

export type OrchEvent = z.output<typeof orchEventSchema>;
export type OrchEventType = OrchEvent['type'];
export const ORCH_EVENT_TYPES = orchEventSchema.options.map((option) => option.shape.type.value);
