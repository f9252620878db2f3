import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EventChannel } from './event-channel.js';

/** A socket whose reader is stalled until `release()`: writes pile up in its buffer. */
function stalledSink(): { out: Writable; text: () => string; release: () => void } {
  const chunks: string[] = [];
  const pending: (() => void)[] = [];
  let stalled = true;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      if (stalled) pending.push(() => callback());
      else callback();
    },
  });
  return {
    out,
    text: () => chunks.join(''),
    release: () => {
      stalled = false;
      for (const done of pending.splice(0)) done();
    },
  };
}

describe('EventChannel', () => {
  it('writes events straight through while the client keeps up', () => {
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk.toString()), callback()) });
    const channel = new EventChannel(out);
    channel.send('call', '{"type":"call"}');
    channel.comment('ping');
    expect(chunks.join('')).toBe('event: call\ndata: {"type":"call"}\n\n: ping\n\n');
  });

  it('bounds what a stalled client costs: the oldest events go and the client is told how many', async () => {
    const sink = stalledSink();
    const channel = new EventChannel(sink.out, { highWaterBytes: 2048, maxQueued: 10 });
    const payload = 'x'.repeat(200);
    for (let i = 0; i < 1000; i++) channel.send('call', `{"n":${i},"p":"${payload}"}`);
    expect(channel.queued).toBe(10);
    expect(sink.out.writableLength).toBeLessThan(2048 + 400);
    const dropped = channel.droppedCount;
    expect(dropped).toBeGreaterThan(900);
    sink.release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const text = sink.text();
    expect(text).toContain(`: dropped ${dropped}\n\n`);
    // The newest events arrive, in order, after the notice.
    const after = text.slice(text.indexOf(': dropped'));
    expect([...after.matchAll(/"n":(\d+)/g)].map((match) => Number(match[1]))).toEqual(Array.from({ length: 10 }, (_, i) => 990 + i));
    expect(channel.queued).toBe(0);
  });

  it('writes nothing after close', () => {
    const sink = stalledSink();
    const channel = new EventChannel(sink.out);
    channel.close();
    channel.send('call', '{}');
    expect(sink.text()).toBe('');
  });
});
