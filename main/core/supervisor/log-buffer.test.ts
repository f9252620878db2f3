import { describe, expect, it } from 'vitest';

import { LogBuffer } from './log-buffer.js';

const lines = (buffer: LogBuffer, limit?: number): string[] => buffer.entries(limit).map((entry) => entry.line);

describe('LogBuffer', () => {
  it('keeps entries oldest first, newest last, with stream and time', () => {
    const before = Date.now();
    const logs = new LogBuffer();
    logs.append('stderr', 'one');
    logs.append('stdout', 'two');
    const entries = logs.entries();
    expect(entries.map((entry) => [entry.stream, entry.line])).toEqual([
      ['stderr', 'one'],
      ['stdout', 'two'],
    ]);
    expect(entries[0]?.time).toBeGreaterThanOrEqual(before);
    expect(entries[1]?.time).toBeLessThanOrEqual(Date.now());
  });

  it('keeps only the newest maxLines entries once it wraps around', () => {
    const logs = new LogBuffer({ maxLines: 3 });
    for (let i = 1; i <= 8; i++) logs.append('stderr', `line ${i}`);
    expect(logs.size).toBe(3);
    expect(lines(logs)).toEqual(['line 6', 'line 7', 'line 8']);
  });

  it('returns the newest `limit` entries', () => {
    const logs = new LogBuffer({ maxLines: 4 });
    for (let i = 1; i <= 6; i++) logs.append('stderr', `line ${i}`);
    expect(lines(logs, 2)).toEqual(['line 5', 'line 6']);
    expect(lines(logs, 10)).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
    expect(lines(logs, 0)).toEqual([]);
  });

  it('truncates long lines with a marker saying how much was cut', () => {
    const logs = new LogBuffer({ maxLineLength: 10 });
    logs.append('stderr', 'x'.repeat(25));
    logs.append('stderr', 'short');
    expect(lines(logs)).toEqual([`${'x'.repeat(10)}…[truncated 15 chars]`, 'short']);
  });

  it('does not cut a surrogate pair in half', () => {
    const logs = new LogBuffer({ maxLineLength: 4 });
    logs.append('stderr', 'abc😀def');
    expect(lines(logs)).toEqual(['abc…[truncated 5 chars]']);
  });

  it('clear() empties the buffer, which then fills again from scratch', () => {
    const logs = new LogBuffer({ maxLines: 2 });
    logs.append('stderr', 'a');
    logs.append('stderr', 'b');
    logs.append('stderr', 'c');
    logs.clear();
    expect(logs.entries()).toEqual([]);
    logs.append('stderr', 'd');
    expect(lines(logs)).toEqual(['d']);
  });

  it('notifies listeners until they are disposed', () => {
    const logs = new LogBuffer({ maxLineLength: 3 });
    const seen: string[] = [];
    const dispose = logs.onDidAppend((entry) => seen.push(`${entry.stream}:${entry.line}`));
    logs.append('system', 'hello');
    dispose();
    logs.append('system', 'ignored');
    expect(seen).toEqual(['system:hel…[truncated 2 chars]']);
  });

  it('rejects nonsensical sizes', () => {
    expect(() => new LogBuffer({ maxLines: 0 })).toThrow(RangeError);
    expect(() => new LogBuffer({ maxLineLength: 1.5 })).toThrow(RangeError);
  });
});
