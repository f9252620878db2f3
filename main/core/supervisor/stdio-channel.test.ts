import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

import type { RpcMessage } from '../protocol/jsonrpc.js';
import type { ChannelCloseInfo } from './channel.js';
import { LogBuffer } from './log-buffer.js';
import { isAlive } from './process-tree.js';
import { StdioChannel } from './stdio-channel.js';
import { LineSplitter, MAX_MESSAGE_LENGTH, dispatchLine } from './stdio-lines.js';
import { waitForLog } from '../__fixtures__/wait.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const env = { PATH: path.dirname(process.execPath) };

/** A started-or-not channel with its logs, messages and close info collected for assertions. */
interface Harness {
  channel: StdioChannel;
  logs: LogBuffer;
  messages: RpcMessage[];
  closes: ChannelCloseInfo[];
  closed: Promise<ChannelCloseInfo>;
  /** Resolves with the first message (seen so far or later) that matches. */
  nextMessage: (match: (message: RpcMessage) => boolean) => Promise<RpcMessage>;
}

const open: StdioChannel[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((channel) => channel.close()));
});

function harness(script: string, args: string[] = [], overrides: Partial<ConstructorParameters<typeof StdioChannel>[0]> = {}): Harness {
  const logs = new LogBuffer();
  const channel = new StdioChannel({ name: 'test', command: process.execPath, args: [fixture(script), ...args], env, logs, ...overrides });
  open.push(channel);
  const messages: RpcMessage[] = [];
  const waiters: { match: (message: RpcMessage) => boolean; resolve: (message: RpcMessage) => void }[] = [];
  channel.onmessage = (message) => {
    messages.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.match(message)) waiter.resolve(message);
      else waiters.push(waiter);
    }
  };
  const closes: ChannelCloseInfo[] = [];
  const closed = new Promise<ChannelCloseInfo>((resolve) => {
    channel.onclose = (info) => {
      closes.push(info);
      resolve(info);
    };
  });
  const nextMessage = (match: (message: RpcMessage) => boolean): Promise<RpcMessage> => {
    const seen = messages.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { channel, logs, messages, closes, closed, nextMessage };
}

const request = (id: number, params: Record<string, unknown> = {}): RpcMessage => ({ jsonrpc: '2.0', id, method: 'echo', params });
const withId =
  (id: number) =>
  (message: RpcMessage): boolean =>
    'id' in message && message.id === id;

const isGrandchildNotice = (message: RpcMessage): boolean => 'method' in message && message.method === 'notifications/grandchild';
const grandchildPid = (message: RpcMessage): number => Number('params' in message ? message.params?.pid : NaN);

describe('StdioChannel', () => {
  it('exchanges JSON-RPC messages with a child process', async () => {
    const { channel, nextMessage, logs } = harness('echo-server.mjs');
    await channel.start();
    expect(channel.pid).toBeTypeOf('number');
    channel.send(request(1, { text: 'héllo 😀' }));
    channel.send(request(2, { n: 2 }));
    await expect(nextMessage(withId(1))).resolves.toEqual({ jsonrpc: '2.0', id: 1, result: { echo: { text: 'héllo 😀' } } });
    await expect(nextMessage(withId(2))).resolves.toEqual({ jsonrpc: '2.0', id: 2, result: { echo: { n: 2 } } });
    await waitForLog(logs, (entry) => entry.stream === 'stderr' && entry.line === 'echo server ready');
  });

  it('carries messages far larger than a pipe chunk', async () => {
    const { channel, nextMessage } = harness('echo-server.mjs');
    await channel.start();
    const big = 'x'.repeat(5 * 1024 * 1024);
    channel.send(request(7, { big }));
    const answer = await nextMessage(withId(7));
    expect(answer).toEqual({ jsonrpc: '2.0', id: 7, result: { echo: { big } } });
  });

  it('logs non-JSON output and keeps delivering the valid messages around it', async () => {
    const { channel, nextMessage, logs, messages } = harness('garbage-server.mjs');
    await channel.start();
    channel.send(request(1));
    await nextMessage(withId(1));
    channel.send(request(2));
    await nextMessage(withId(2));

    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 1, result: { echo: {} } },
      { jsonrpc: '2.0', id: 2, result: { echo: {} } },
    ]);
    const stdout = logs
      .entries()
      .filter((entry) => entry.stream === 'stdout')
      .map((entry) => entry.line);
    expect(stdout.slice(0, 5)).toEqual(['Garbage server v1.0 starting...', 'not json { before 1', '42', '[1, 2', 'after 1']);
    expect(stdout).toContain('not json { before 2');
    await waitForLog(logs, (entry) => entry.stream === 'stderr' && entry.line === 'warning: this server is noisy');
    await waitForLog(logs, (entry) => entry.stream === 'stderr' && entry.line === 'handled request 2');
  });

  it('stops a server that exits when stdin closes without sending any signal', async () => {
    const { channel, closed, closes, logs } = harness('echo-server.mjs');
    await channel.start();
    await channel.close();
    expect(await closed).toEqual({ code: 0, signal: null, reason: 'stopped', requested: true });
    expect(closes).toHaveLength(1);
    expect(logs.entries().some((entry) => entry.line.includes('SIGTERM'))).toBe(false);
    expect(() => channel.send(request(1))).toThrow('server "test" is not running');
  });

  it('kills the whole tree of a server that ignores stdin close and SIGTERM', async () => {
    const { channel, closed, nextMessage, logs } = harness('stubborn-tree.mjs', [], { stdinGraceMs: 100, termGraceMs: 200 });
    await channel.start();
    const pid = channel.pid ?? -1;
    const notice = await nextMessage(isGrandchildNotice);
    const grandchild = grandchildPid(notice);
    expect(isAlive(grandchild)).toBe(true);

    await channel.close();

    expect(await closed).toEqual({ code: null, signal: 'SIGKILL', reason: 'stopped (killed by SIGKILL)', requested: true });
    const system = logs
      .entries()
      .filter((entry) => entry.stream === 'system')
      .map((entry) => entry.line);
    expect(system.some((line) => line.includes('sending SIGTERM'))).toBe(true);
    expect(system.some((line) => line.includes('sending SIGKILL'))).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('reaps the grandchildren of a server that crashes', async () => {
    const { channel, closed, nextMessage } = harness('stubborn-tree.mjs', ['crash']);
    await channel.start();
    const notice = await nextMessage(isGrandchildNotice);
    const grandchild = grandchildPid(notice);

    expect(await closed).toEqual({ code: 1, signal: null, reason: 'exited with code 1', requested: false });
    expect(isAlive(grandchild)).toBe(false);
  });

  it('reports a kill from outside as an unrequested close', async () => {
    const { channel, closed, closes, logs } = harness('echo-server.mjs');
    await channel.start();
    process.kill(channel.pid ?? -1, 'SIGKILL');
    expect(await closed).toEqual({ code: null, signal: 'SIGKILL', reason: 'killed by SIGKILL', requested: false });
    expect(logs.entries().at(-1)).toMatchObject({ stream: 'system', line: 'killed by SIGKILL' });
    expect(() => channel.send(request(1))).toThrow('server "test" is not running');
    await channel.close();
    expect(closes).toHaveLength(1);
  });

  it('reports the exit code of a server that exits on its own', async () => {
    const { channel, closed } = harness('echo-server.mjs');
    await channel.start();
    channel.send({ jsonrpc: '2.0', method: 'exit', params: { code: 3 } });
    expect(await closed).toMatchObject({ code: 3, reason: 'exited with code 3', requested: false });
  });

  it('rejects start with a readable message when the command does not exist', async () => {
    const logs = new LogBuffer();
    const channel = new StdioChannel({ name: 'foo', command: 'does-not-exist-xyz', args: [], env: { PATH: '/usr/bin:/bin' }, logs });
    const closes: ChannelCloseInfo[] = [];
    channel.onclose = (info) => closes.push(info);
    const message = 'server "foo": cannot start "does-not-exist-xyz": command not found (searched PATH: /usr/bin, /bin)';

    await expect(channel.start()).rejects.toThrow(message);
    expect(logs.entries()).toMatchObject([{ stream: 'system', line: message }]);
    expect(channel.pid).toBeUndefined();
    await channel.close();
    expect(closes).toEqual([]);
  });

  // POSIX only: it uses a POSIX path and a script without the execute bit, which Windows does not have.
  it.skipIf(process.platform === 'win32')('says why a path cannot be started', async () => {
    const logs = new LogBuffer();
    const missing = new StdioChannel({ name: 'foo', command: '/no/such/server', args: [], env, logs });
    await expect(missing.start()).rejects.toThrow('server "foo": cannot start "/no/such/server": no such file');
    const dir = await mkdtemp(path.join(tmpdir(), 'mcp-orch-channel-'));
    const script = path.join(dir, 'server.sh');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o644 });
    const notExecutable = new StdioChannel({ name: 'foo', command: script, args: [], env, logs });
    await expect(notExecutable.start()).rejects.toThrow(
      `server "foo": cannot start "${script}": permission denied running "${script}" (is it executable?)`,
    );
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing working directory', async () => {
    const logs = new LogBuffer();
    const cwd = path.join(path.dirname(fixture('echo-server.mjs')), 'no-such-dir');
    const channel = new StdioChannel({ name: 'foo', command: process.execPath, args: [], env, cwd, logs });
    await expect(channel.start()).rejects.toThrow(
      `server "foo": cannot start "${process.execPath}": working directory "${cwd}" does not exist`,
    );
  });

  it('close is idempotent, and closing before start ends the channel once', async () => {
    const { channel, closes } = harness('echo-server.mjs');
    await Promise.all([channel.close(), channel.close()]);
    expect(closes).toEqual([{ reason: 'stopped', requested: true }]);
    await expect(channel.start()).rejects.toThrow('server "test" was already started or closed');
  });
});

describe('LineSplitter + dispatchLine (stdout framing)', () => {
  function decoder(maxLineLength = MAX_MESSAGE_LENGTH) {
    const messages: unknown[] = [];
    const noise: string[] = [];
    let overflows = 0;
    const splitter = new LineSplitter(
      (pieces, length) =>
        dispatchLine(
          pieces,
          length,
          (message) => messages.push(message),
          (text) => noise.push(text),
        ),
      () => overflows++,
      maxLineLength,
    );
    const push = (text: string | Buffer): void => splitter.push(typeof text === 'string' ? Buffer.from(text) : text);
    return { splitter: { push, end: () => splitter.end() }, messages, noise, overflows: () => overflows };
  }

  it('joins a message split across chunks, at any point', () => {
    const text = '{"jsonrpc":"2.0","id":1,"result":{"s":"a\\nb"}}\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { splitter, messages, noise } = decoder();
      splitter.push(text.slice(0, cut));
      splitter.push(text.slice(cut));
      expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { s: 'a\nb' } }]);
      expect(noise).toEqual([]);
    }
  });

  it('keeps a character split across chunks whole', () => {
    const bytes = Buffer.from('{"id":1,"s":"é€😀"}\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const { splitter, messages, noise } = decoder();
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      expect(messages).toEqual([{ id: 1, s: 'é€😀' }]);
      expect(noise).toEqual([]);
    }
  });

  it('delivers several messages from one chunk, in order, with CRLF and blank lines', () => {
    const { splitter, messages, noise } = decoder();
    splitter.push('{"id":1}\r\n\n{"id":2}\n  {"id":3}\n{"id":');
    expect(messages).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    splitter.push('4}\n');
    expect(messages).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    expect(noise).toEqual([]);
  });

  it('delivers each element of a batch', () => {
    const { splitter, messages } = decoder();
    splitter.push('[{"id":1},{"id":2}]\n');
    expect(messages).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('sends everything that is not a JSON object or batch to the log', () => {
    const { splitter, messages, noise } = decoder();
    splitter.push('Server started\n42\n"text"\nnull\n[1,2]\n[]\n{broken\n{"id":1}\n');
    expect(noise).toEqual(['Server started', '42', '"text"', 'null', '[1,2]', '[]', '{broken']);
    expect(messages).toEqual([{ id: 1 }]);
  });

  it('emits an unterminated last line when the stream ends', () => {
    const { splitter, messages } = decoder();
    splitter.push('{"id":1}\n{"id":');
    splitter.push('2}');
    expect(messages).toEqual([{ id: 1 }]);
    splitter.end();
    expect(messages).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('drops a line longer than the limit, once, and carries on after its newline', () => {
    const { splitter, messages, noise, overflows } = decoder(16);
    splitter.push('{"id":1,"pad":"');
    splitter.push('x'.repeat(10));
    splitter.push('y'.repeat(10));
    splitter.push('"}\n{"id":2}\n');
    splitter.push(`{"pad":"${'z'.repeat(20)}"}\n`);
    expect(overflows()).toBe(2);
    expect(messages).toEqual([{ id: 2 }]);
    expect(noise).toEqual([]);
  });
});
