/** What the operations need of the runtime, and the shape of their handlers. */
import type { z } from 'zod';
import type { OperationById, OperationId } from '../../../shared/api/operations.js';
import type { Principal } from '../auth/roles.js';
import type { TokenService } from '../auth/token-service.js';
import type { BatchService } from '../runs/batch-service.js';
import type { HotReload } from '../hot-reload.js';
import type { PlannerService } from '../planner/planner-service.js';
import type { AggregateView } from '../registry/aggregate-view.js';
import type { ToolRegistry } from '../registry/tool-registry.js';
import type { SignIns } from '../oauth/sign-ins.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import type { Store } from '../store/store.js';
import type { Supervisor } from '../supervisor/supervisor.js';

export interface OperationDeps {
  supervisor: Supervisor;
  registry: ToolRegistry;
  view: AggregateView;
  store: Store;
  tokens: TokenService;
  /** Batch runs and the mode (`proxy` | `batch`) in force. */
  batch: BatchService;
  /** The LLM planner: runs from a request. */
  planner: PlannerService;
  /** The configuration in force, the outcome of the last reload, and where edits are applied. */
  hotReload: HotReload;
  configPath: string;
  /** The environment `${env:X}` in the config file is resolved from. */
  env: Record<string, string | undefined>;
  /** Where `${secret:X}` is looked up, and `secrets.*` store. */
  secrets: SecretProvider;
  version: string;
  /** Sign-in to remote servers (OAuth). */
  signIns: SignIns;
  /** `http://host:port` of the daemon. */
  baseUrl(): string;
}

/** One call of an operation, as its handler sees it. */
export interface OperationCall {
  principal: Principal;
  /** Aborted when the caller goes away before the answer. */
  signal: AbortSignal;
  /** What the audit entry of a mutating operation names; a handler may refine the defaults. */
  audit: { target?: string; details?: unknown };
}

/** The operations a handler answers: all but the event stream, which is a subscription. */
export type HandledId = Exclude<OperationId, 'events.stream'>;

export type Handler<Id extends HandledId> = (
  input: z.output<OperationById<Id>['input']>,
  call: OperationCall,
) => z.input<OperationById<Id>['output']> | Promise<z.input<OperationById<Id>['output']>>;

export type Handlers<Id extends HandledId = HandledId> = { [K in Id]: Handler<K> };
