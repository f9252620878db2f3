/**
 * One typed client of every operation of the contract, over any transport: `client.servers.list()`,
 * `client.tools.call({ server, tool, arguments })`, `client.subscribe(listener)`. Inputs are checked
 * with the operation's zod schema before they leave (every bad field named), answers with its
 * output schema when they arrive. A method resolves with the output or rejects with an
 * `OrchClientError`; `client.call(id, input)` answers the `Result` instead. Runtime-neutral: no
 * node:*, no DOM — it runs in a browser bundle.
 */
import type { z } from 'zod';
import { invalidInputBody } from './contract.js';
import { operationList, operations, type OperationById, type OperationId } from './operations.js';
import { failure, success, type OperationFailure, type Result } from './result.js';
import type { OrchEvent } from './events.js';
import type { SubscribeOptions, Transport } from './transport.js';
import type { ErrorCode } from '../errors.js';

/** Operations answered once; the event stream is `subscribe`. */
export type CallableId = Exclude<OperationId, 'events.stream'>;

export type InputOf<Id extends OperationId> = z.input<OperationById<Id>['input']>;
export type OutputOf<Id extends OperationId> = z.output<OperationById<Id>['output']>;

export interface CallOptions {
  /** Abandons the call (fetch only; the daemon is told through the closed connection). */
  signal?: AbortSignal;
}

/** An operation as a method: the input may be left out when every field is optional. */
type Method<Id extends CallableId> =
  Record<string, never> extends InputOf<Id>
    ? (input?: InputOf<Id>, options?: CallOptions) => Promise<OutputOf<Id>>
    : (input: InputOf<Id>, options?: CallOptions) => Promise<OutputOf<Id>>;

type DomainOf<Id extends string> = Id extends `${infer Domain}.${string}` ? Domain : never;
type ActionOf<Id extends string, Domain extends string> = Id extends `${Domain}.${infer Action}` ? Action : never;

/** `client.<domain>.<action>(input)` for every callable operation `<domain>.<action>`. */
export type DomainMethods = {
  [Domain in DomainOf<CallableId>]: { [Action in ActionOf<CallableId, Domain>]: Method<Extract<`${Domain}.${Action}`, CallableId>> };
};

export interface OrchClient extends DomainMethods {
  /** The operation `id` as a `Result`; never rejects. */
  call<Id extends CallableId>(id: Id, input?: InputOf<Id>, options?: CallOptions): Promise<Result<OutputOf<Id>>>;
  /** Delivers every live event to `listener` until the returned function is called. */
  subscribe(listener: (event: OrchEvent) => void, options?: SubscribeOptions): () => void;
}

/** A failed operation, as a method of the client rejects with it. */
export class OrchClientError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(readonly failure: OperationFailure) {
    super(failure.message);
    this.name = 'OrchClientError';
    this.code = failure.code;
    this.details = failure.details;
  }
}

export function createClient(transport: Transport): OrchClient {
  const call = async (id: CallableId, input: unknown, options?: CallOptions): Promise<Result> => {
    const operation = operations[id];
    const parsed = operation.input.safeParse(input ?? {});
    if (!parsed.success) {
      const { message, details } = invalidInputBody(parsed.error).error;
      return failure('bad_request', message, details);
    }
    const result = await transport.invoke(operation, parsed.data, options?.signal);
    if (!result.ok) return result;
    const output = operation.output.safeParse(result.value);
    if (!output.success)
      return failure('internal', `the answer to ${id} does not match the contract: ${output.error.issues[0]?.message ?? 'invalid'}`);
    return success(output.data);
  };

  const client: Record<string, unknown> = {
    call,
    subscribe: (listener: (event: OrchEvent) => void, options?: SubscribeOptions) => transport.subscribe(listener, options),
  };
  for (const operation of operationList) {
    if (operation.stream) continue;
    const id = operation.id as CallableId;
    const [domain, action] = id.split('.') as [string, string];
    const methods = (client[domain] ??= {}) as Record<string, unknown>;
    methods[action] = async (input?: unknown, options?: CallOptions) => {
      const result = await call(id, input, options);
      if (!result.ok) throw new OrchClientError(result.error);
      return result.value;
    };
  }
  return client as unknown as OrchClient;
}
