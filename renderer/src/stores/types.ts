/** The contract's types as the stores hold them. */
import type { OutputOf } from '@shared/api/client';
import type { OrchEvent } from '@shared/api/events';

export type ServerSummary = OutputOf<'servers.list'>['servers'][number];
export type ServerDetail = OutputOf<'servers.status'>;
export type SignInStart = OutputOf<'servers.signIn'>;
export type LogEntry = OutputOf<'servers.logs'>['entries'][number];
export type ProcessSample = OutputOf<'metrics.processes'>['samples'][number];
export type Series = OutputOf<'metrics.series'>;
export type SeriesPoint = Series['points'][number];
export type ToolItem = OutputOf<'tools.list'>['tools'][number];
export type ToolCallResult = OutputOf<'tools.call'>;
export type Run = OutputOf<'runs.get'>;
export type RunSummary = OutputOf<'runs.list'>['items'][number];
export type PlanPreview = OutputOf<'runs.dryRun'>;
export type CallRecord = OutputOf<'calls.list'>['items'][number];
export type AuditRecord = OutputOf<'audit.list'>['items'][number];
export type ConfigState = OutputOf<'config.get'>;
export type Issue = { path: string; message: string };
export type ClientFile = OutputOf<'clients.list'>['clients'][number];
export type FileChange = OutputOf<'clients.preview'>;
export type ImportSource = OutputOf<'import.scan'>['sources'][number];
export type ImportResult = OutputOf<'import.apply'>;
export type KeyInfo = OutputOf<'tokens.list'>['tokens'][number];
export type EventOf<Type extends OrchEvent['type']> = Extract<OrchEvent, { type: Type }>;

/** Where a list is: not asked yet, on its way, there, or failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
