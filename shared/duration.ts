/**
 * Durations, in one place for the CLI and the dashboard: as people type them on the command line
 * (`90m`, `12h`, `30d`, `2w`) and as the dashboard says them (`3 d 4 h`). Runtime-neutral.
 */

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** How the dashboard names each unit. */
const SPOKEN = { d: 'd', h: 'h', m: 'min', s: 's' } as const;

/**
 * Milliseconds of a whole number followed by a unit: `s`, `m`, `h`, `d` or `w` (`30d`, `12h`,
 * `90m`). `0` alone is zero. Throws `RangeError` naming the accepted forms otherwise.
 */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (value === '0') return 0;
  const match = /^(\d{1,9})([smhdw])$/.exec(value);
  if (!match) throw new RangeError(`invalid duration "${text}": use a whole number and a unit, e.g. 90m, 12h, 30d or 2w`);
  return Number(match[1]) * UNIT_MS[match[2] as Unit];
}

/**
 * How `formatDuration` writes: `exact` is the inverse of `parseDuration`, in the largest whole unit
 * (`1d`, `36h`, `90m`, `1500ms`; the CLI); `approximate` is the two largest units that matter, up
 * to days, rounded down to the second (`3 d 4 h`, `2 h 5 min`, `4 min 3 s`, `12 s`; the dashboard).
 */
export type DurationStyle = 'exact' | 'approximate';

/** A duration in milliseconds, written in `style`. */
export function formatDuration(ms: number, style: DurationStyle = 'exact'): string {
  if (style === 'approximate') {
    const seconds = Math.max(0, Math.floor(ms / UNIT_MS.s));
    const counts: [number, string][] = [
      [Math.floor(seconds / 86_400), SPOKEN.d],
      [Math.floor((seconds % 86_400) / 3_600), SPOKEN.h],
      [Math.floor((seconds % 3_600) / 60), SPOKEN.m],
      [seconds % 60, SPOKEN.s],
    ];
    const largest = counts.findIndex(([count]) => count > 0);
    const first = largest === -1 ? counts.length - 1 : largest;
    return counts
      .slice(first, first + 2)
      .map(([count, unit]) => `${count} ${unit}`)
      .join(' ');
  }
  if (ms === 0) return '0';
  for (const unit of Object.keys(UNIT_MS) as Unit[]) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
