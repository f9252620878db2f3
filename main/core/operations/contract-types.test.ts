/**
 * The contract's output schemas describe what core already returns: each core record type must be
 * assignable to its schema's input type, so the routes can answer with it as is. Checked by `tsc`;
 * the runtime assertions only confirm the samples parse.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { auditRecordSchema, tokenInfoSchema } from '../../../shared/api/operations/tokens.js';
import { callRecordSchema, type callStatsSchema } from '../../../shared/api/operations/calls.js';
import { logEntrySchema, serverStatusSchema } from '../../../shared/api/operations/servers.js';
import type { Role } from '../../../shared/api/contract.js';
import type { AuditRecord } from '../store/audit.repository.js';
import type { CallStats } from '../store/call-stats.js';
import type { CallRecord } from '../store/calls.repository.js';
import type { TokenInfo } from '../auth/token-service.js';
import type { LogEntry } from '../supervisor/log-buffer.js';
import type { ServerState, ServerStatus } from '../supervisor/server-supervisor.js';
import type { Role as CoreRole } from '../auth/roles.js';

describe('core records fit the contract', () => {
  it('type by type', () => {
    expectTypeOf<ServerStatus>().toExtend<z.input<typeof serverStatusSchema>>();
    expectTypeOf<ServerState>().toEqualTypeOf<z.output<typeof serverStatusSchema>['state']>();
    expectTypeOf<LogEntry>().toExtend<z.input<typeof logEntrySchema>>();
    expectTypeOf<CallRecord>().toExtend<z.input<typeof callRecordSchema>>();
    expectTypeOf<CallStats>().toExtend<z.input<typeof callStatsSchema>>();
    expectTypeOf<TokenInfo>().toExtend<z.input<typeof tokenInfoSchema>>();
    expectTypeOf<AuditRecord>().toExtend<z.input<typeof auditRecordSchema>>();
    expectTypeOf<CoreRole>().toEqualTypeOf<Role>();
  });

  it('samples parse', () => {
    const status: ServerStatus = { name: 'a', state: 'backoff', restarts: 2, exitCode: null, signal: 'SIGKILL', retryInMs: 900 };
    expect(serverStatusSchema.parse(status)).toEqual(status);
    const call: CallRecord = {
      id: 1,
      time: 1,
      sessionId: 's',
      server: 'a',
      method: 'tools/call',
      tool: 't',
      durationMs: 1.5,
      ok: true,
      bytesIn: 1,
      bytesOut: 2,
    };
    expect(callRecordSchema.parse(call)).toEqual(call);
    const entry: LogEntry = { time: 1, stream: 'stderr', line: 'x' };
    expect(logEntrySchema.parse(entry)).toEqual(entry);
  });
});
