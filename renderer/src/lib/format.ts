/** Formatting for people: durations, sizes, times, counts. */
import { formatDuration } from '@shared/duration';

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms, 'approximate');
}

/**
 * A batch run against its tasks one by one (`speedup` = sum of the tasks' times ÷ the run's wall
 * time), in words that stay true when the run was the slower one.
 */
export function formatSpeedup(speedup: number): string {
  if (!Number.isFinite(speedup) || speedup <= 0) return '–';
  if (speedup.toFixed(2) === '1.00') return 'as fast as one by one';
  if (speedup > 1) return `${speedup.toFixed(2)}× faster than one by one`;
  return `${(1 / speedup).toFixed(2)}× slower than one by one`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function formatTime(time: number | undefined): string {
  if (time === undefined) return '–';
  const date = new Date(time);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '–';
  return `${((part / whole) * 100).toFixed(1)} %`;
}

/**
 * `12,345`. Grouped by hand: the first `toLocaleString` of a page loads the number formats of the
 * ICU library, about 50 ms on the Overview's critical path on a slow machine.
 */
export function formatCount(value: number): string {
  const [whole = '', fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A message for an unknown failure. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
