/**
 * The seam between the supervisor and one upstream MCP server: a pipe of JSON-RPC messages.
 * Implemented by the stdio child process channel and by the remote (SSE / Streamable HTTP) channels.
 * Messages are plain parsed JSON objects; channels never validate them into narrower types.
 */
import type { RpcMessage as JSONRPCMessage } from '../protocol/jsonrpc.js';

export interface ChannelCloseInfo {
  /** Exit code of the child, when there was a child and it exited. */
  code?: number | null;
  /** Signal that ended the child, if any. */
  signal?: NodeJS.Signals | null;
  /** Why the channel ended, in words (exit code, signal, network error, "stopped"). */
  reason: string;
  /** True when `close()` asked for it; false for a crash or a remote hang-up. */
  requested: boolean;
}

export interface MessageChannel {
  /**
   * Opens the channel. Resolves once messages can be sent; rejects with a readable error if it
   * cannot (e.g. spawn ENOENT) — then `onclose` is not called: the rejection is the only report.
   */
  start(): Promise<void>;
  /** Sends one message; returns its size in bytes on the wire (0 when unknown). Throws if the channel is not open. Never awaits the peer. */
  send(message: JSONRPCMessage): number;
  /** Called with every message the upstream sends, in order, with its size in bytes (0 when unknown). */
  onmessage?: (message: JSONRPCMessage, size: number) => void;
  /** Called exactly once when a started channel ends, whatever the cause (exit, crash, `close()`). */
  onclose?: (info: ChannelCloseInfo) => void;
  /** Ends the channel and, for a child process, its whole process tree. Resolves when everything is gone. */
  close(): Promise<void>;
  /** PID of the child process, for stdio channels. */
  readonly pid?: number | undefined;
  /** Streamable HTTP: whether the server opened a 2025 session (gave a session id). */
  readonly sessionOpened?: boolean;
  /**
   * Streamable HTTP, after `notifications/initialized`: resolves once the session's own stream (the
   * GET the transport opens then, with or without a session) is open or refused, or after `boundMs`;
   * what the server sends on it from the start then reaches MCP Orch before any client's request goes out.
   */
  sessionStream?(boundMs: number): Promise<void>;
}

/** Where a channel writes what is not protocol: stderr lines, stray stdout lines, its own notices. */
export interface LogSink {
  append(stream: LogStream, line: string): void;
}

export type LogStream = 'stderr' | 'stdout' | 'system';
