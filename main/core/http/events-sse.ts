/**
 * `GET /api/events`: the operations layer's live events as server-sent events, each `event: <type>`
 * with the event's JSON as `data:`. A `: ping` comment every 15 s keeps the connection open; the
 * subscription ends when the client goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/roles.js';
import { SSE_HEADERS } from '../mcp/http-io.js';
import type { Dispatcher } from '../operations/dispatcher.js';
import { EventChannel } from './event-channel.js';

export interface EventStreamOptions {
  /** Heartbeat interval; default 15 s. */
  heartbeatMs?: number;
}

/** Opens the stream for `principal`; answers the refusal, with nothing written, when it may not follow events. */
export function openEventStream(
  dispatcher: Dispatcher,
  principal: Principal,
  req: IncomingMessage,
  res: ServerResponse,
  options: EventStreamOptions = {},
): ReturnType<Dispatcher['subscribe']> {
  const channel = new EventChannel(res);
  const subscription = dispatcher.subscribe(principal, (event) => channel.send(event.type, JSON.stringify(event)));
  if (!subscription.ok) return subscription;
  res.writeHead(200, SSE_HEADERS);
  channel.comment('connected');
  const heartbeat = setInterval(() => channel.comment('ping'), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  const close = (): void => {
    clearInterval(heartbeat);
    channel.close();
    subscription.value();
  };
  res.on('close', close);
  req.on('error', close);
  return subscription;
}
