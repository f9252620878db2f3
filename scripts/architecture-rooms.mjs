// The rooms of the code base and which rooms import which, computed from the imports of the source
// files (tests and their fixtures left out), as the Markdown block of docs/architecture.md between
// `<!-- rooms:begin -->` and `<!-- rooms:end -->`. `node scripts/architecture-rooms.mjs` prints the
// block; with `--write` (`npm run docs:architecture`) it rewrites it in the page.
// main/core/architecture.test.ts fails when the page and the code disagree.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { layers } from '../eslint.layers.js';

export const BEGIN = '<!-- rooms:begin -->';
export const END = '<!-- rooms:end -->';
export const OUT_OF_DATE = 'docs/architecture.md is out of date: run npm run docs:architecture';

/** The top folders that hold rooms; anything else (config files at the root, bin/, resources/) is none. */
const TOP = ['main', 'preload', 'renderer', 'shared', 'bench', 'eval', 'e2e', 'scripts'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'results', '__fixtures__', 'test-results', 'playwright-report']);
/** Tests and their support: they may reach across rooms to drive the whole daemon (as the lint layers allow). */
const isTest = (path) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || path.startsWith('renderer/test/');

/** The room of a repository path (posix), or undefined when it is in none. */
export function roomOf(path) {
  const parts = path.split('/');
  const [top, second, third] = parts;
  if (!TOP.includes(top)) return undefined;
  if (top !== 'main') return top;
  if (second === 'cli' || second === 'electron') return `main/${second}`;
  if (second !== 'core' || third === undefined) return undefined;
  // A folder of the core is a room; so is each file at its top (runtime.ts, hot-reload.ts).
  return parts.length > 3 ? `main/core/${third}` : `main/core/${third.replace(/\.[^.]+$/, '')}.ts`;
}

/** The source files under `root`'s rooms, as posix paths relative to it, sorted. */
function sourceFiles(root) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if (SOURCE.test(entry.name) && !isTest(path)) {
        found.push(path);
      }
    }
  };
  for (const top of TOP) {
    try {
      walk(top);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return found.sort();
}

/** What a file imports, as written: static and dynamic imports, `export … from`, type imports and `import('…')` types. */
function specifiersOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The repository path a specifier of `from` points at, or undefined for a package. */
function targetOf(from, specifier) {
  if (specifier.startsWith('@shared/')) return `shared/${specifier.slice('@shared/'.length)}`;
  if (!specifier.startsWith('.')) return undefined;
  return join(dirname(from), specifier).split(sep).join('/');
}

/**
 * The rooms under `root` and the edges between them: `edges` maps each room to the rooms its
 * source files import, every list sorted.
 */
export function roomGraph(root) {
  const edges = new Map();
  for (const file of sourceFiles(root)) {
    const room = roomOf(file);
    if (!room) continue;
    if (!edges.has(room)) edges.set(room, new Set());
    for (const specifier of specifiersOf(readFileSync(join(root, file), 'utf8'))) {
      const target = targetOf(file, specifier);
      const other = target && !target.startsWith('..') ? roomOf(target) : undefined;
      if (other && other !== room) edges.get(room).add(other);
    }
  }
  const rooms = [...edges.keys()].sort();
  return { rooms, edges: new Map(rooms.map((room) => [room, [...edges.get(room)].sort()])) };
}

/** The core folders the lint layers call lower (eslint.layers.js), so the diagram groups them the same way. */
function lowerCoreRooms() {
  const lower = layers.find((layer) => layer.name === 'lower core');
  return new Set((lower?.files ?? []).map((glob) => glob.replace(/\/\*\*$/, '')));
}

const GROUPS = [
  { id: 'shells', label: 'processes around the core', has: (room) => /^(main\/cli|main\/electron|preload|renderer)$/.test(room) },
  { id: 'lower', label: 'lower core', has: (room, lower) => lower.has(room) },
  { id: 'core', label: 'upper core', has: (room) => room.startsWith('main/core/') },
  { id: 'around', label: 'tools around the product', has: (room) => /^(bench|eval|e2e|scripts)$/.test(room) },
];
const idOf = (room) => room.replace(/[^a-zA-Z0-9]+/g, '_');
const shortName = (room) => {
  const name = room.slice('main/core/'.length);
  return name.endsWith('.ts') ? name : `${name}/`;
};

/** The Markdown block: a mermaid flowchart of the rooms and their edges, the same as a table, and the rooms that import each other. */
export function architectureBlock(graph) {
  const lower = lowerCoreRooms();
  const grouped = new Map(GROUPS.map((group) => [group.id, []]));
  const loose = [];
  for (const room of graph.rooms) {
    const group = GROUPS.find((candidate) => candidate.has(room, lower));
    (group ? grouped.get(group.id) : loose).push(room);
  }
  // Inside the diagram the core's rooms go by their short names (`http/`, `runtime.ts`); the table spells them out.
  const node = (room) => `${idOf(room)}["${room.startsWith('main/core/') ? shortName(room) : room}"]`;
  const lines = ['```mermaid', 'flowchart LR'];
  for (const group of GROUPS) {
    const rooms = grouped.get(group.id);
    if (rooms.length === 0) continue;
    lines.push(`  subgraph ${group.id}["${group.label}"]`, ...rooms.map((room) => `    ${node(room)}`), '  end');
  }
  lines.push(...loose.map((room) => `  ${node(room)}`));
  for (const [room, targets] of graph.edges) lines.push(...targets.map((target) => `  ${idOf(room)} --> ${idOf(target)}`));
  lines.push('```');

  const table = ['| room | imports |', '|---|---|'];
  for (const [room, targets] of graph.edges) {
    table.push(`| \`${room}\` | ${targets.length === 0 ? '—' : targets.map((target) => `\`${target}\``).join(', ')} |`);
  }
  const mutual = [];
  for (const [room, targets] of graph.edges) {
    for (const target of targets) if (room < target && graph.edges.get(target)?.includes(room)) mutual.push(`\`${room}\` ↔ \`${target}\``);
  }

  return [
    BEGIN,
    '<!-- Generated by `npm run docs:architecture` (scripts/architecture-rooms.mjs) from the imports of the',
    '     source files, tests and fixtures left out. Do not edit by hand: main/core/architecture.test.ts',
    '     fails when this block and the code disagree. -->',
    '',
    ...lines,
    '',
    ...table,
    '',
    `Rooms that import each other: ${mutual.length === 0 ? 'none' : mutual.join(', ')}.`,
    END,
  ].join('\n');
}

/** The generated block as `doc` has it now, markers included. */
export function blockIn(doc) {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END, begin);
  if (begin < 0 || end < 0) throw new Error(`docs/architecture.md has no ${BEGIN} … ${END} block`);
  return doc.slice(begin, end + END.length);
}

/** `doc` with its generated block replaced by `block`. */
export function withBlock(doc, block) {
  return doc.replace(blockIn(doc), () => block);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const block = architectureBlock(roomGraph(root));
  if (process.argv.includes('--write')) {
    const page = join(root, 'docs', 'architecture.md');
    const doc = readFileSync(page, 'utf8');
    const next = withBlock(doc, block);
    if (next !== doc) writeFileSync(page, next);
    console.log(`${relative(root, page)}: ${next === doc ? 'already up to date' : 'rewritten'}`);
  } else {
    console.log(block);
  }
}
