/** The public face of the store: what the runtime and the features built on it import. */
export { Store, DEFAULT_RETENTION, retentionFromConfig, type StoreOptions, type StoreRetention, type PruneResult } from './store.js';
export { openDatabase, type OpenDatabaseOptions } from './database.js';
export { MIGRATIONS, SchemaTooNewError, migrate, schemaVersion, latestVersion, type Migration } from './migrations.js';
export type { BatchWriterOptions, BatchWriterStats } from './batch-writer.js';
export type { CallsRepository, CallEntry, CallRecord, CallQuery, CallPage, CallPruneOptions, CallStatsQuery } from './calls.repository.js';
export type { CallStats, CallTotals, ServerCallStats, ToolCallStats } from './call-stats.js';
export type { ServerEventsRepository, ServerEvent, ServerEventKind, ServerEventRecord, ServerEventQuery } from './server-events.repository.js';
export type { CatalogRepository, CatalogItem, CatalogItemKind, ServerCatalog } from './catalog.repository.js';
export type { PidsRepository, PidEntry, PidRecord } from './pids.repository.js';
export { reapOrphans, processStartTime, commandMatches, type ReapOptions, type ReapReport, type SkipReason } from './orphan-reaper.js';
export { NameTakenError, NotLiveError, type TokensRepository, type NewToken, type TokenRecord, type StoredToken, type TokenListQuery } from './tokens.repository.js';
export { MAX_AUDIT_DETAILS, type AuditRepository, type AuditEntry, type AuditRecord, type AuditOutcome, type AuditQuery, type AuditPage, type AuditPruneOptions } from './audit.repository.js';
export type { UsageCounterOptions, PendingUsage } from './usage-counter.js';
export { PlanCacheRepository, type CachedPlanEntry, type PlanCacheStats } from './plan-cache.repository.js';
export { RunsRepository, type RunPlanning, type NewRun, type RunOutcome, type RunSource, type StoredRun, type StoredTask, type TaskOutcome } from './runs.repository.js';
