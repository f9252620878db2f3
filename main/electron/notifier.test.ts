import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../shared/api/events.js';
import { Notifier } from './notifier.js';

type State = 'running' | 'crashed' | 'backoff' | 'starting' | 'failed' | 'stopped';

const server = (state: State, restarts = 0, lastError?: string): OrchEvent => ({
  type: 'server.state',
  time: 1,
  status: { name: 'github', state, restarts, ...(lastError ? { lastError } : {}) },
  previous: 'running',
});
const runEnd = (runId: string, status: 'succeeded' | 'failed' | 'running', task = false): OrchEvent => ({
  type: 'run.progress',
  time: 1,
  runId,
  status,
  ...(task ? { task: { id: 't1', status: 'succeeded' as const } } : {}),
  counts: { succeeded: 3, failed: status === 'failed' ? 1 : 0 },
});

function setup(visible = false) {
  const shown: string[] = [];
  let windowVisible = visible;
  const notifier = new Notifier({ notify: (title, body) => shown.push(`${title} | ${body}`), windowVisible: () => windowVisible });
  return { notifier, shown, show: (value: boolean) => (windowVisible = value) };
}

describe('Notifier', () => {
  it('notifies a crash loop once, and again only after the server was restarted by hand', () => {
    const { notifier, shown } = setup();
    for (const event of [
      server('running'),
      server('crashed', 1, 'exited with code 1'),
      server('backoff', 1),
      server('starting', 1),
      server('running', 1),
      server('crashed', 2, 'exited with code 1'),
      server('failed', 5, 'crashed 5 times in 60 s'),
    ]) {
      notifier.handle(event);
    }
    expect(shown).toEqual(['github crashed | exited with code 1; restarting it']);
    notifier.handle(server('starting'));
    notifier.handle(server('running'));
    notifier.handle(server('failed', 0, 'handshake timed out'));
    expect(shown.at(-1)).toBe('github failed | handshake timed out');
    expect(shown).toHaveLength(2);
  });

  it('starts a new incident after a stop', () => {
    const { notifier, shown } = setup();
    notifier.handle(server('failed', 0, 'command not found'));
    notifier.handle(server('stopped'));
    notifier.handle(server('failed', 0, 'command not found'));
    expect(shown).toEqual(['github failed | command not found', 'github failed | command not found']);
  });

  it('tells of a run that ended while the window was hidden, once, with its task counts', () => {
    const { notifier, shown, show } = setup(false);
    notifier.handle(runEnd('r1', 'running'));
    notifier.handle(runEnd('r1', 'succeeded', true));
    notifier.handle(runEnd('r1', 'failed'));
    notifier.handle(runEnd('r1', 'failed'));
    expect(shown).toEqual(['Run failed | Tasks: 3 succeeded, 1 failed.']);
    show(true);
    notifier.handle(runEnd('r2', 'succeeded'));
    expect(shown).toHaveLength(1);
  });
});
