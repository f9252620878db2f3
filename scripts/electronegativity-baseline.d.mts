/** Types of scripts/electronegativity-baseline.mjs: Electronegativity findings against the committed baseline. */
export interface FindingKey {
  check: string;
  /** Relative to the repo, with `/`; `N/A` for an app-wide finding. */
  file: string;
  /** The trimmed source line the finding points at; '' when it points at none. */
  code: string;
}

export interface Finding extends FindingKey {
  line: number;
  severity: string;
  confidence: string;
  description: string;
}

export interface BaselineEntry extends FindingKey {
  why: string;
}

export interface Comparison<F extends FindingKey = Finding> {
  known: { finding: F; entry: BaselineEntry }[];
  fresh: F[];
  stale: BaselineEntry[];
}

export function findingKey(key: FindingKey): string;
export function readBaseline(json: unknown): BaselineEntry[];
export function compareWithBaseline<F extends FindingKey>(findings: F[], entries: BaselineEntry[]): Comparison<F>;
export function reportComparison(comparison: Comparison, baselinePath: string): { ok: boolean; lines: string[] };
