/** `calls.list` and `stats.get`: the proxied call log and its totals. */
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';

/** Runs a store query; a malformed cursor is the caller's mistake (400). */
export function query<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new OperationError('bad_request', error.message);
    throw error;
  }
}

export function callHandlers(deps: OperationDeps): Handlers<'calls.list' | 'stats.get'> {
  return {
    'calls.list': (input) => {
      deps.store.calls.flush();
      return query(() => deps.store.calls.list(input));
    },
    'stats.get': (input) => {
      deps.store.calls.flush();
      return deps.store.calls.stats(input);
    },
  };
}
