import { describe, expect, it } from 'vitest';
import { TaskFetcher } from './task-fetcher.js';

describe('TaskFetcher', () => {
  it('hands each task over the moment its object closes, whatever the pieces', async () => {
    const text = JSON.stringify({
      tasks: [
        { id: 'a', tool: 't', arguments: { text: 'braces } and "quotes" and [brackets]', nested: { deep: [1, { x: '}' }] } } },
        { id: 'b', tool: 't', arguments: {} },
      ],
      output: ['b'],
    });
    for (const size of [1, 3, 7, 40, text.length]) {
      const seen: string[] = [];
      let afterA = -1;
      const fetcher = new TaskFetcher((task) => seen.push((task as { id: string }).id));
      for (let at = 0; at < text.length; at += size) {
        await fetcher.push(text.slice(at, at + size));
        if (seen.includes('a') && afterA === -1) afterA = at + size;
      }
      // "a" is handed over as soon as the piece holding its closing brace arrives, before "b" begins.
      expect(afterA).toBeLessThanOrEqual(text.indexOf('{"id":"b"') + size);
      expect(fetcher.end()).toMatchObject({ output: ['b'] });
      expect(seen).toEqual(['a', 'b']);
    }
  });

  it('ignores objects outside the tasks array, and answers undefined for text that is not JSON', async () => {
    const seen: unknown[] = [];
    const fetcher = new TaskFetcher((task) => seen.push(task));
    await fetcher.push('{"note": {"tasks": [{"id": "x"}]}, "tasks": [');
    expect(seen).toEqual([]);
    await fetcher.push('{"id": "a"}');
    expect(seen).toEqual([{ id: 'a' }]);
    await fetcher.push('oops');
    expect(fetcher.end()).toBeUndefined();
  });

  it('refuses a plan longer than its bound', async () => {
    const fetcher = new TaskFetcher(() => {}, 10);
    await expect(fetcher.push('{"tasks": [{"id": "a"}]}')).rejects.toThrow('longer than 10 characters');
  });
});
