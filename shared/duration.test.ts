import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads a whole number and a unit', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration(' 2w ')).toBe(14 * 86_400_000);
    expect(parseDuration('0')).toBe(0);
  });

  it('refuses anything else, naming the accepted forms', () => {
    for (const bad of ['', '30', 'd', '1.5h', '-1d', '30 days', '3y', '1e3s']) {
      expect(() => parseDuration(bad), bad).toThrow(/use a whole number and a unit, e\.g\. 90m, 12h, 30d or 2w/);
    }
  });

  it('formats exactly in the largest whole unit (the CLI)', () => {
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(36 * 3_600_000)).toBe('36h');
    expect(formatDuration(90 * 60_000)).toBe('90m');
    expect(formatDuration(1_500)).toBe('1500ms');
    for (const text of ['30d', '12h', '90m', '2w']) expect(formatDuration(parseDuration(text))).toBe(text);
  });

  it('formats approximately in the two largest units that matter (the dashboard)', () => {
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_999, 'approximate')).toBe('3 d 4 h');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7_000, 'approximate')).toBe('2 h 5 min');
    expect(formatDuration(4 * 60_000 + 3_000, 'approximate')).toBe('4 min 3 s');
    expect(formatDuration(86_400_000, 'approximate')).toBe('1 d 0 h');
    expect(formatDuration(12_999, 'approximate')).toBe('12 s');
    expect(formatDuration(999, 'approximate')).toBe('0 s');
    expect(formatDuration(-5_000, 'approximate')).toBe('0 s');
  });
});
