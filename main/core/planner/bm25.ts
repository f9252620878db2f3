/**
 * Okapi BM25 over short documents (tool names and descriptions), with a tokenizer suited to tool
 * names: `github__list_pull_requests` and `listPullRequests` both give `list pull request`.
 */

const STOP_WORDS = new Set(
  'a an and are as at be by for from has have i in into is it its me my of on or our please that the their them then this to us we with you your all any some can could would should will do does what which who how when where'.split(
    ' ',
  ),
);

/**
 * Verbs people use for what tool names say otherwise, folded to one word on both sides (requests
 * and tools), so "save the summary" finds `write_file` and "show me the file" finds `read_file`.
 */
const SYNONYMS: Record<string, string> = {
  show: 'read',
  view: 'read',
  save: 'write',
  store: 'write',
  send: 'post',
  find: 'search',
  look: 'search',
  remove: 'delete',
  erase: 'delete',
  make: 'create',
};

/** Lower-case words of `text`, split at non-letters and camelCase humps, stop words dropped, plurals and a few synonyms folded. */
export function tokenize(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  const tokens: string[] = [];
  for (const word of words) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const stemmed = stem(word);
    tokens.push(SYNONYMS[stemmed] ?? stemmed);
  }
  return tokens;
}

/** A light stemmer: enough for `issues`/`issue`, `messages`/`message`, `searching`/`search`, `summarise`/`summarize`. */
function stem(word: string): string {
  if (word.length > 6 && word.endsWith('ise')) return `${word.slice(0, -3)}ize`;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** BM25 parameters: term-frequency saturation and length normalisation (the usual values). */
const K1 = 1.2;
const B = 0.75;

/** An index of documents, each a list of tokens; scores a query against every one. */
export class Bm25Index {
  private readonly frequencies: Map<string, number>[];
  private readonly lengths: number[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: readonly (readonly string[])[]) {
    this.frequencies = documents.map((tokens) => {
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const token of counts.keys()) this.documentFrequency.set(token, (this.documentFrequency.get(token) ?? 0) + 1);
      return counts;
    });
    this.lengths = documents.map((tokens) => tokens.length);
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
  }

  /** The score of every document for `query` (tokens), in document order; 0 where no term matches. */
  scores(query: readonly string[]): number[] {
    const count = this.frequencies.length;
    const terms = [...new Set(query)];
    return this.frequencies.map((counts, document) => {
      let score = 0;
      const norm = K1 * (1 - B + (B * this.lengths[document]!) / (this.averageLength || 1));
      for (const term of terms) {
        const frequency = counts.get(term);
        if (!frequency) continue;
        const containing = this.documentFrequency.get(term)!;
        const idf = Math.log(1 + (count - containing + 0.5) / (containing + 0.5));
        score += (idf * frequency * (K1 + 1)) / (frequency + norm);
      }
      return score;
    });
  }
}
