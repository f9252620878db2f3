/**
 * Every operation of the API, keyed by id and in a stable order (the order of the OpenAPI document,
 * the CLI's help and the route table). Add an operation in its domain file, then list it here.
 */
import { callOperations } from './operations/calls.js';
import { clientOperations, importOperations } from './operations/clients.js';
import { configOperations, modeOperations } from './operations/config.js';
import { metaOperations } from './operations/meta.js';
import { metricsOperations } from './operations/metrics.js';
import { runOperations } from './operations/runs.js';
import { secretOperations } from './operations/secrets.js';
import { serverOperations } from './operations/servers.js';
import { auditOperations, tokenOperations } from './operations/tokens.js';
import { toolOperations } from './operations/tools.js';

const OPERATION_LIST = [
  serverOperations.list,
  serverOperations.status,
  serverOperations.start,
  serverOperations.stop,
  serverOperations.restart,
  serverOperations.enable,
  serverOperations.disable,
  serverOperations.signIn,
  serverOperations.signOut,
  serverOperations.logs,
  toolOperations.list,
  toolOperations.enable,
  toolOperations.disable,
  toolOperations.call,
  configOperations.get,
  configOperations.validate,
  configOperations.put,
  modeOperations.get,
  modeOperations.set,
  runOperations.create,
  runOperations.dryRun,
  runOperations.list,
  runOperations.get,
  runOperations.cancel,
  callOperations.list,
  callOperations.stats,
  metricsOperations.processes,
  metricsOperations.series,
  tokenOperations.list,
  tokenOperations.create,
  tokenOperations.revoke,
  tokenOperations.rotate,
  auditOperations.list,
  secretOperations.list,
  secretOperations.set,
  secretOperations.clear,
  metaOperations.clientConfig,
  clientOperations.list,
  clientOperations.preview,
  clientOperations.connect,
  clientOperations.undo,
  importOperations.scan,
  importOperations.apply,
  metaOperations.events,
  metaOperations.openapi,
] as const;

type AnyListed = (typeof OPERATION_LIST)[number];
export type OperationId = AnyListed['id'];

/** One operation, by id, with its exact input and output types. */
export type OperationById<Id extends OperationId> = Extract<AnyListed, { id: Id }>;

export type Operations = { readonly [Id in OperationId]: OperationById<Id> };

/** Every operation in a stable order. */
export const operationList: readonly AnyListed[] = OPERATION_LIST;

/** Every operation, keyed by id. */
export const operations = Object.freeze(Object.fromEntries(OPERATION_LIST.map((operation) => [operation.id, operation]))) as Operations;

export {
  callOperations,
  clientOperations,
  importOperations,
  metricsOperations,
  configOperations,
  modeOperations,
  metaOperations,
  runOperations,
  secretOperations,
  serverOperations,
  tokenOperations,
  auditOperations,
  toolOperations,
};
