/**
 * The IPC handlers of the desktop app wired to the real dispatch of a real core with a real server:
 * the window's page invokes operations and follows live events as the local admin; another page
 * is refused. Electron's ipcMain and WebContents are the only fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrchEvent } from '../../shared/api/events.js';
import { IPC_CHANNELS } from '../../shared/api/ipc-channels.js';
import { localPrincipal } from '../core/shell-surface.js';
import { exampleServer, startHarness, type Harness } from '../core/__fixtures__/runtime-harness.js';
import { FakeIpcMain, FakeSender } from './__fixtures__/fake-ipc.js';
import { registerBridgeHandlers } from './bridge.ipc.js';
import { isTrustedSender } from './window-policy.js';
import { pollFor } from '../core/__fixtures__/wait.js';

let harness: Harness;
let ipc: FakeIpcMain;
const refused: (string | undefined)[] = [];

beforeAll(async () => {
  harness = await startHarness({ example: exampleServer() });
  ipc = new FakeIpcMain();
  registerBridgeHandlers({
    ipcMain: ipc,
    core: Promise.resolve(harness.runtime.operations),
    principal: localPrincipal('desktop'),
    isTrustedSender,
    onRefused: (_channel, url) => refused.push(url),
  });
});

afterAll(async () => {
  await harness?.dispose();
});

describe('the bridge over the real core', () => {
  it('invokes operations for the app page as the local admin, audited under its name', async () => {
    const page = new FakeSender('app://orch/index.html');
    expect(await ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.list', {})).toMatchObject({
      ok: true,
      value: { servers: [{ name: 'example', state: 'running' }] },
    });
    expect(
      await ipc.invoke(page, IPC_CHANNELS.invoke, 'tools.call', { server: 'example', tool: 'add', arguments: { a: 2, b: 3 } }),
    ).toMatchObject({
      ok: true,
      value: { result: { structuredContent: { sum: 5 } } },
    });
    harness.runtime.store.audit.flush();
    expect(harness.runtime.store.audit.list({ action: 'tools.call', limit: 1 }).items[0]).toMatchObject({
      keyName: '(desktop)',
      outcome: 'ok',
    });
  });

  it('delivers live events to the page that subscribed until it unsubscribes', async () => {
    const page = new FakeSender('app://orch/index.html');
    ipc.send(page, IPC_CHANNELS.subscribe);
    const events = () =>
      page.sent.filter((message) => message.channel === IPC_CHANNELS.event).map((message) => message.args[0] as OrchEvent);
    await ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.restart', { name: 'example' });
    await pollFor('the restart as events', () =>
      events().some((event) => event.type === 'server.state' && event.status.state === 'running'),
    );
    ipc.send(page, IPC_CHANNELS.unsubscribe);
    const seen = events().length;
    await ipc.invoke(page, IPC_CHANNELS.invoke, 'servers.restart', { name: 'example' });
    expect(events().length).toBe(seen);
  });

  it('refuses a page that is not the app’s own, and runs nothing for it', async () => {
    const stranger = new FakeSender('https://evil.example/');
    const answer = await ipc.invoke(stranger, IPC_CHANNELS.invoke, 'servers.stop', { name: 'example' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused).toContain('https://evil.example/');
    expect(harness.runtime.supervisor.get('example')?.state).toBe('running');
  });
});
