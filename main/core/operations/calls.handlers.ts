/** `calls.list` and `stats.get`: the proxied call log and its totals, as far as the caller may see them, and the planner's figures. */
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';
import { scopeOf, visibilityOf } from './visibility.js';

/** Runs a store query; a malformed cursor is the caller's mistake (400). */
export function query<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new OperationError('bad_request', error.message);
    throw error;
  }
}

export function callHandlers(deps: Pick<OperationDeps, 'store' | 'tokens'>): Handlers<'calls.list' | 'stats.get'> {
  return {
    'calls.list': (input, call) => {
      deps.store.calls.flush();
      const scope = scopeOf(visibilityOf(call.principal, deps.tokens));
      return query(() => deps.store.calls.list({ ...input, scope }));
    },
    'stats.get': (input, call) => {
      deps.store.calls.flush();
      const scope = scopeOf(visibilityOf(call.principal, deps.tokens));
      const cache = deps.store.planCache.stats();
      const planned = deps.store.runs.planningTotals({ scope, since: input.since, until: input.until });
      return {
        ...deps.store.calls.stats({ ...input, scope }),
        planner: { cacheHits: cache.hits, cacheMisses: cache.misses, cachedPlans: cache.entries, ...planned },
      };
    },
  };
}
