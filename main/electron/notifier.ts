/**
 * Native notifications from the live events: a server that crashes or fails, once per incident,
 * and a run that ends while the window is hidden. An incident ends when the server is stopped or
 * started again by hand (its restart count back at 0): a crash loop is one notification, not one
 * per crash.
 */
import type { OrchEvent } from '../../shared/api/events.js';

export interface NotifierDeps {
  notify(title: string, body: string): void;
  /** Whether the dashboard is on screen (then it shows the run itself). */
  windowVisible(): boolean;
}

const TERMINAL_RUNS = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
/** Runs remembered as notified, newest last; a run id seen again after this many is not a concern. */
const MAX_REMEMBERED_RUNS = 200;

export class Notifier {
  /** Servers inside an incident that was already notified. */
  private readonly incidents = new Set<string>();
  private readonly notifiedRuns = new Set<string>();

  constructor(private readonly deps: NotifierDeps) {}

  handle(event: OrchEvent): void {
    if (event.type === 'server.state') this.onServerState(event);
    else if (event.type === 'run.progress') this.onRunProgress(event);
  }

  private onServerState(event: Extract<OrchEvent, { type: 'server.state' }>): void {
    const { name, state, lastError, restarts } = event.status;
    if (state === 'stopped' || state === 'disabled' || (state === 'running' && restarts === 0)) {
      this.incidents.delete(name);
      return;
    }
    if ((state !== 'crashed' && state !== 'failed') || this.incidents.has(name)) return;
    this.incidents.add(name);
    const reason = lastError ?? (state === 'failed' ? 'it stopped after repeated crashes' : 'it exited');
    this.deps.notify(state === 'failed' ? `${name} failed` : `${name} crashed`, state === 'failed' ? reason : `${reason}; restarting it`);
  }

  private onRunProgress(event: Extract<OrchEvent, { type: 'run.progress' }>): void {
    if (event.task !== undefined || !TERMINAL_RUNS.has(event.status) || this.notifiedRuns.has(event.runId)) return;
    this.notifiedRuns.add(event.runId);
    if (this.notifiedRuns.size > MAX_REMEMBERED_RUNS) this.notifiedRuns.delete(this.notifiedRuns.values().next().value!);
    if (this.deps.windowVisible()) return;
    const counts = Object.entries(event.counts)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ');
    this.deps.notify(`Run ${event.status}`, counts ? `Tasks: ${counts}.` : `Run ${event.runId}`);
  }
}
