/**
 * Tasks ready to start, one FIFO lane per server, served round-robin among the servers that have
 * both a ready task and a free slot. Every operation is O(1) amortised, so a run of 10,000 tasks
 * never scans the whole plan.
 */

/** A FIFO queue on an array with a moving head; compacts once the consumed part dominates. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface Lane {
  server: string;
  ready: Fifo<number>;
  running: number;
  limit: number;
  /** Whether the lane is in the round-robin queue. */
  listed: boolean;
}

/** Ready tasks by server, honouring a per-server limit of tasks running at once. */
export class ReadyQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly servable = new Fifo<Lane>();

  /** `limitOf` gives the most tasks of one server that may run at once (at least 1). */
  constructor(private readonly limitOf: (server: string) => number) {}

  /** Adds a task whose dependencies all succeeded. */
  push(task: number, server: string): void {
    const lane = this.lane(server);
    lane.ready.push(task);
    this.list(lane);
  }

  /** Takes the next task that may start now and counts it as running; undefined when none may. */
  take(): { task: number; server: string } | undefined {
    for (let lane = this.servable.shift(); lane; lane = this.servable.shift()) {
      lane.listed = false;
      if (lane.running >= lane.limit) continue;
      const task = lane.ready.shift();
      if (task === undefined) continue;
      lane.running += 1;
      this.list(lane);
      return { task, server: lane.server };
    }
    return undefined;
  }

  /** A running task of `server` ended or paused: its slot is free. */
  release(server: string): void {
    const lane = this.lane(server);
    lane.running -= 1;
    this.list(lane);
  }

  private list(lane: Lane): void {
    if (lane.listed || lane.running >= lane.limit || lane.ready.size === 0) return;
    lane.listed = true;
    this.servable.push(lane);
  }

  private lane(server: string): Lane {
    let lane = this.lanes.get(server);
    if (!lane) {
      lane = { server, ready: new Fifo(), running: 0, limit: Math.max(1, this.limitOf(server)), listed: false };
      this.lanes.set(server, lane);
    }
    return lane;
  }
}
