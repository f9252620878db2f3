/**
 * Cycles in the dependency graph of a plan, found in O(n + e): Tarjan's strongly connected
 * components (iterative, so 10,000 chained tasks do not overflow the stack), then one shortest cycle
 * through each component to name it.
 */

/**
 * One cycle per strongly connected component that has one, as node indexes with the first repeated
 * at the end: `[a, b, c, a]` where each node has an edge to the next; `[a, a]` for a self-edge.
 * Components come in order of their smallest node; each cycle starts at that node.
 */
export function findCycles(count: number, edgesOf: (node: number) => readonly number[]): number[][] {
  const components = stronglyConnected(count, edgesOf);
  const cycles: number[][] = [];
  for (const component of components) {
    const start = Math.min(...component);
    if (component.length === 1 && !edgesOf(start).includes(start)) continue;
    cycles.push(shortestCycle(start, new Set(component), edgesOf));
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

function stronglyConnected(count: number, edgesOf: (node: number) => readonly number[]): number[][] {
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    // Each frame is a node and the position of the next edge to follow.
    const frames: [number, number][] = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [node, at] = frame;
      const edges = edgesOf(node);
      if (at < edges.length) {
        frame[1] = at + 1;
        const next = edges[at]!;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          frames.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === order[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first from `start` back to itself, inside one component. */
function shortestCycle(start: number, members: Set<number>, edgesOf: (node: number) => readonly number[]): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of edgesOf(node)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const back: number[] = [];
        for (let at = node; at !== start; at = previous.get(at)!) back.push(at);
        return [start, ...back.reverse(), start];
      }
      if (previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  return [start, start];
}
