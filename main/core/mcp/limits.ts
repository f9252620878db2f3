/**
 * How much the MCP endpoints hold for clients, at most (docs/endpoints.md, "Bounds"). Sizes are in
 * characters of JSON text, which for JSON-RPC is about bytes.
 */
export interface McpLimits {
  /** Unsent output one connection may hold (a client that stops reading) before the grace below starts. */
  sendQueueChars: number;
  /** How long a connection may stay over `sendQueueChars` before its session is closed. */
  sendGraceMs: number;
  /** Unsent output past which a session is closed at once, grace or not. */
  sendHardChars: number;
  /** Events one Streamable HTTP session keeps for resumption (`Last-Event-ID`). */
  replayPerSessionChars: number;
  /** Events all sessions together keep for resumption. */
  replayTotalChars: number;
  /**
   * How long a Streamable HTTP call whose client dropped its stream waits for the client to resume
   * it (`Last-Event-ID`) before it is cancelled upstream. A call still owed as plain JSON cannot be
   * resumed, and is cancelled as soon as its client leaves.
   */
  resumeGraceMs: number;
}

export const DEFAULT_MCP_LIMITS: McpLimits = {
  sendQueueChars: 16 * 1024 * 1024,
  sendGraceMs: 10_000,
  sendHardChars: 64 * 1024 * 1024,
  replayPerSessionChars: 16 * 1024 * 1024,
  replayTotalChars: 256 * 1024 * 1024,
  resumeGraceMs: 30_000,
};
