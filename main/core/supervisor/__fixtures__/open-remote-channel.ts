/** A started RemoteChannel to `url` (Streamable HTTP) for tests, with `ask`: send a request, resolve with its answer. */
import type { RpcMessage, RpcRequest } from '../../protocol/jsonrpc.js';
import type { ChannelCloseInfo } from '../channel.js';
import { RemoteChannel } from '../remote-channel.js';

export interface OpenedChannel {
  channel: RemoteChannel;
  ask: (request: RpcRequest) => Promise<RpcMessage>;
}

export async function openRemoteChannel(url: string, logs: string[], onclose?: (info: ChannelCloseInfo) => void): Promise<OpenedChannel> {
  const channel = new RemoteChannel({
    name: 'remote',
    transport: 'streamableHttp',
    url,
    headers: {},
    logs: { append: (_s, line) => logs.push(line) },
  });
  const waiting = new Map<unknown, (message: RpcMessage) => void>();
  channel.onmessage = (message) => waiting.get((message as { id?: unknown }).id)?.(message);
  if (onclose) channel.onclose = onclose;
  await channel.start();
  const ask = (request: RpcRequest) =>
    new Promise<RpcMessage>((resolve) => {
      waiting.set(request.id, resolve);
      channel.send(request);
    });
  return { channel, ask };
}
