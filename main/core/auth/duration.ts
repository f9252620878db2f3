/** Durations as people type them on the command line: `90m`, `12h`, `30d`, `2w`. */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Milliseconds of a whole number followed by a unit: `s`, `m`, `h`, `d` or `w` (`30d`, `12h`,
 * `90m`). `0` alone is zero. Throws `RangeError` naming the accepted forms otherwise.
 */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (value === '0') return 0;
  const match = /^(\d{1,9})([smhdw])$/.exec(value);
  if (!match) throw new RangeError(`invalid duration "${text}": use a whole number and a unit, e.g. 90m, 12h, 30d or 2w`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A duration in its largest whole unit, e.g. `1d`, `36h`, `90m`: the inverse of `parseDuration`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
