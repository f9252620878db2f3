/** The rooms of the code base and the edges between them (scripts/architecture-rooms.mjs). */
export const BEGIN: string;
export const END: string;
/** The message of a page whose generated block disagrees with the code. */
export const OUT_OF_DATE: string;
/** The room of a repository path (posix), or undefined when it is in none. */
export function roomOf(path: string): string | undefined;
/** The rooms under `root` and, for each, the rooms its source files import; all sorted. */
export function roomGraph(root: string): { rooms: string[]; edges: Map<string, string[]> };
/** The Markdown block of docs/architecture.md, markers included. */
export function architectureBlock(graph: { rooms: string[]; edges: Map<string, string[]> }): string;
/** The generated block as `doc` has it now, markers included; throws when it has none. */
export function blockIn(doc: string): string;
/** `doc` with its generated block replaced by `block`. */
export function withBlock(doc: string, block: string): string;
