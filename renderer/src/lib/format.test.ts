import { describe, expect, it } from 'vitest';
import { formatCount, formatMs, formatSpeedup } from './format';

describe('formatting for people', () => {
  it('groups counts by thousands as en-US does, without asking ICU', () => {
    for (const value of [0, 7, 999, 1000, 12_345, 1_234_567, -98_765, 1234.5, 5000])
      expect(formatCount(value)).toBe(value.toLocaleString('en-US', { maximumFractionDigits: 20 }));
  });

  it('says durations in the largest units that matter', () => {
    expect(formatMs(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatMs(4 * 60_000 + 3_000)).toBe('4 min 3 s');
    expect(formatMs(0.5)).toBe('0.50 ms');
    expect(formatMs(1500)).toBe('1.5 s');
  });

  it('says how a run compares with its tasks one by one, also when it was slower', () => {
    expect(formatSpeedup(18.25)).toBe('18.25× faster than one by one');
    expect(formatSpeedup(0.92)).toBe('1.09× slower than one by one');
    expect(formatSpeedup(1.001)).toBe('as fast as one by one');
    expect(formatSpeedup(0)).toBe('–');
  });
});
