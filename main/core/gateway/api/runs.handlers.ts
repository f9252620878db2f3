/** `runs.*`: answered 501 until the batch engine exists (issue 5); the input is still checked first. */
import type { Handlers } from './api-deps.js';
import { notImplemented } from './api-error.js';

export function runHandlers(): Handlers<'runs.create' | 'runs.dryRun' | 'runs.list' | 'runs.get' | 'runs.cancel'> {
  return {
    'runs.create': () => notImplemented(),
    'runs.dryRun': () => notImplemented(),
    'runs.list': () => notImplemented(),
    'runs.get': () => notImplemented(),
    'runs.cancel': () => notImplemented(),
  };
}
