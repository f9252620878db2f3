/**
 * Applies a new configuration to the running daemon (docs/specification.md §2): only the difference. Added servers
 * start, removed ones stop, changed ones restart (their client sessions survive, as after a crash),
 * untouched ones are not disturbed. An invalid file changes nothing and is reported.
 */
import { readFile } from 'node:fs/promises';
import { diffConfigs, isEmptyDiff, type ConfigDiff } from './config/config-diff.js';
import { ConfigError, parseConfig, type ConfigIssue, type ResolvedConfig } from './config/config-loader.js';
import { Emitter } from './events/emitter.js';
import type { AggregateView } from './registry/aggregate-view.js';
import type { ToolRegistry } from './registry/tool-registry.js';
import type { SecretReader } from './secrets/secret-provider.js';
import type { ServerSupervisor } from './supervisor/server-supervisor.js';
import type { Supervisor } from './supervisor/supervisor.js';

export interface ReloadResult {
  ok: boolean;
  time: number;
  /** The problems of an invalid file (the running config stays). */
  issues?: ConfigIssue[];
  /** What changed, for a valid file. */
  diff?: ConfigDiff;
  /** Settings that only take effect after a restart of the daemon. */
  needsRestart?: string[];
}

export interface HotReloadDeps {
  supervisor: Supervisor;
  registry: ToolRegistry;
  view: AggregateView;
  env: Record<string, string | undefined>;
  /** Where `${secret:X}` is looked up. */
  secrets: SecretReader;
}

/**
 * What a reload does to the running set, announced as it happens so that whoever serves clients
 * can follow: `removing` fires before the server stops (its client sessions go first), `added`
 * once the server is registered and before it starts, `sessionsReset` when a server's session mode
 * changed (its client sessions must start over), `toolsToggled` when `orch.disabledTools` changed.
 */
export type AppliedChange =
  | { kind: 'removing'; server: string }
  | { kind: 'added'; server: ServerSupervisor }
  | { kind: 'sessionsReset'; server: string }
  | { kind: 'toolsToggled'; servers: string[] };

export class HotReload {
  private current: ResolvedConfig;
  /** The text of the last reload attempted (or the one loaded at start), valid or not. */
  private text: string | undefined;
  private last: ReloadResult;
  private queue: Promise<void> = Promise.resolve();
  private readonly emitter = new Emitter<ReloadResult>();
  private readonly changeEmitter = new Emitter<AppliedChange>();

  /** Fires after every reload attempt, valid or not. */
  readonly onDidReload = this.emitter.event;
  /** Fires for each change to the running set, while a reload applies it. */
  readonly onDidApplyChange = this.changeEmitter.event;

  constructor(
    initial: ResolvedConfig,
    private readonly deps: HotReloadDeps,
    initialText?: string,
  ) {
    this.current = initial;
    this.text = initialText;
    this.last = { ok: true, time: Date.now() };
  }

  get config(): ResolvedConfig {
    return this.current;
  }

  /** The outcome of the last reload (ok, or the issues of the file on disk). */
  get status(): ReloadResult {
    return this.last;
  }

  /** Parses `text` and applies it; reloads run one at a time, in order. */
  reload(text: string, source?: string): Promise<ReloadResult> {
    return this.enqueue(() => this.apply(text, source));
  }

  /**
   * Reads the file at `path` when its turn comes, and applies it unless it holds the text last
   * applied (then nothing happens: undefined). Reading in turn, not before, keeps a change seen on
   * disk from overtaking an edit queued meanwhile and putting the older text back in force.
   */
  reloadFile(path: string): Promise<ReloadResult | undefined> {
    return this.enqueue(async () => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return undefined; // mid-replace, or deleted: the next change tells
      }
      return text === this.text ? undefined : this.apply(text, path);
    });
  }

  dispose(): void {
    this.emitter.dispose();
    this.changeEmitter.dispose();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async apply(text: string, source: string | undefined): Promise<ReloadResult> {
    this.text = text;
    let next: ResolvedConfig;
    try {
      next = { ...parseConfig(text, { env: this.deps.env, secrets: this.deps.secrets, source }), path: this.current.path };
    } catch (error) {
      const issues = error instanceof ConfigError ? error.issues : [{ path: '(file)', message: (error as Error).message }];
      return this.finish({ ok: false, time: Date.now(), issues });
    }
    const previous = this.current;
    const diff = diffConfigs(previous, next);
    this.current = next;
    if (isEmptyDiff(diff)) return this.finish({ ok: true, time: Date.now(), diff });
    const needsRestart = diff.orch.filter((key) => key === 'port' || key === 'host');
    await this.applyServers(diff);
    this.applyOrch(diff, previous, next);
    return this.finish({ ok: true, time: Date.now(), diff, ...(needsRestart.length ? { needsRestart } : {}) });
  }

  private async applyServers(diff: ConfigDiff): Promise<void> {
    const { supervisor, registry } = this.deps;
    const announce = (change: AppliedChange): void => this.changeEmitter.fire(change);
    await supervisor.prepareSearchPath();
    // Stops are awaited (bounded by the stop timeouts); starts are not: a server that takes minutes
    // to come up (npx downloading) must not hold back the rest of this reload, nor the next one.
    const stops: Promise<void>[] = [];
    for (const name of diff.removed) {
      announce({ kind: 'removing', server: name });
      registry.unwatch(name);
      stops.push(supervisor.remove(name));
    }
    for (const config of diff.added) {
      const server = supervisor.add(config);
      registry.watch(server);
      announce({ kind: 'added', server });
      void server.start();
    }
    for (const config of [...diff.restarted, ...diff.enabled, ...diff.disabled, ...diff.updated]) {
      const server = supervisor.get(config.name);
      if (!server) continue;
      const modeChanged = server.config.sessionMode !== config.sessionMode || config.sessionMode === 'per-session';
      server.updateConfig(config);
      if (diff.updated.includes(config)) continue;
      if (modeChanged) announce({ kind: 'sessionsReset', server: config.name });
      if (config.disabled) stops.push(server.stop());
      else if (diff.enabled.includes(config)) void server.start();
      else void server.restart();
    }
    await Promise.all(stops);
  }

  private applyOrch(diff: ConfigDiff, previous: ResolvedConfig, next: ResolvedConfig): void {
    if (diff.orch.includes('disabledTools')) {
      const before = previous.orch.disabledTools;
      const after = next.orch.disabledTools;
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (server) => [...(before[server] ?? [])].sort().join('\0') !== [...(after[server] ?? [])].sort().join('\0'),
      );
      this.deps.registry.setDisabledTools(after);
      this.changeEmitter.fire({ kind: 'toolsToggled', servers: changed });
    }
    if (diff.orch.includes('namespaceSeparator')) this.deps.view.setSeparator(next.orch.namespaceSeparator);
  }

  private finish(result: ReloadResult): ReloadResult {
    this.last = result;
    this.emitter.fire(result);
    return result;
  }
}
