/**
 * Which tools the model sees: all of them when they are few, else the most relevant to the request
 * by BM25 over names (counted twice: a name says more than a sentence; the server's name is part of
 * it) and descriptions, always with the tools the request names itself. Tools that share no word
 * with the request are left out once `minimum` tools are in: every tool shown costs prompt tokens.
 */
import { Bm25Index, tokenize } from './bm25.js';
import type { PlannerTool } from './planner-catalog.js';

/** Tools shown even when fewer match the request: room for words the request and the descriptions do not share. */
export const MIN_TOOLS = 12;

/**
 * The tools to offer for `request`, in catalog order: at most `limit` (more only when the request
 * names more), and of those beyond `minimum`, only tools that match a word of the request.
 */
export function selectTools(request: string, tools: readonly PlannerTool[], limit: number, minimum = MIN_TOOLS): PlannerTool[] {
  if (tools.length <= limit) return [...tools];
  const named = namedTools(request, tools);
  const index = new Bm25Index(tools.map((tool) => [...tokenize(tool.name), ...tokenize(tool.name), ...tokenize(tool.description ?? '')]));
  const scores = index.scores(tokenize(request));
  // Highest score first; ties keep catalog order, so the choice is stable.
  const ranked = tools.map((_, position) => position).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const chosen = new Set<number>(named);
  for (const position of ranked) {
    if (chosen.size >= Math.max(limit, named.size)) break;
    if (scores[position] === 0 && chosen.size >= Math.min(minimum, limit)) break;
    chosen.add(position);
  }
  return [...chosen].sort((a, b) => a - b).map((position) => tools[position]!);
}

/** Positions of the tools whose full name, or whose name without its server prefix, appears in the request as a word. */
function namedTools(request: string, tools: readonly PlannerTool[]): Set<number> {
  const text = request.toLowerCase();
  const named = new Set<number>();
  tools.forEach((tool, position) => {
    const full = tool.name.toLowerCase();
    const plain = tool.plainName?.toLowerCase();
    if (containsWord(text, full) || (plain !== undefined && plain.length > 3 && containsWord(text, plain))) named.add(position);
  });
  return named;
}

function containsWord(text: string, word: string): boolean {
  let from = text.indexOf(word);
  while (from !== -1) {
    const before = text[from - 1];
    const after = text[from + word.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = text.indexOf(word, from + 1);
  }
  return false;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}
