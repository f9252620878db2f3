/** Types of scripts/electronegativity.mjs, `npm run security:electron`. */
import type { Finding } from './electronegativity-baseline.mjs';

export const SCANNED: string[];
export const BASELINE: string;
export function shippedSources(base: string, dirs?: string[]): string[];
export function lockedElectronVersion(base?: string): string;
export function scan(options?: {
  base?: string;
  files?: string[];
  electronVersion?: string;
}): Promise<{ findings: Finding[]; unparsed: { file: string; message: string }[]; scanned: number }>;
