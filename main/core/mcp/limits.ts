/**
 * How much the MCP endpoints hold for clients, at most (docs/endpoints.md, "Bounds"). Sizes are in
 * characters of JSON text, which for JSON-RPC is about bytes.
 */
export interface McpLimits {
  /** Unsent output one stream (a response: JSON or SSE) may hold before the grace below starts. */
  sendQueueChars: number;
  /** How long a stream, a session or all of them may stay over their bound before they are closed. */
  sendGraceMs: number;
  /** Unsent output past which a stream is closed at once, grace or not. */
  sendHardChars: number;
  /** Unsent output all the streams of one session may hold (closed at once past twice this). */
  sendSessionChars: number;
  /** Unsent output all sessions of every endpoint may hold together. */
  sendTotalChars: number;
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
  /**
   * How long the call of a 2026-07-28 client waits for the client's answers once it was told
   * `input_required` (a 2025 server asked it something mid-call). Past it, the server's questions
   * are answered with an error and the call is cancelled upstream.
   */
  inputWaitMs: number;
  /** Calls one key may have waiting for input at once; past it, a new question fails its call. */
  inputWaitingPerKey: number;
}

export const DEFAULT_MCP_LIMITS: McpLimits = {
  sendQueueChars: 16 * 1024 * 1024,
  sendGraceMs: 10_000,
  sendHardChars: 64 * 1024 * 1024,
  sendSessionChars: 64 * 1024 * 1024,
  sendTotalChars: 256 * 1024 * 1024,
  replayPerSessionChars: 16 * 1024 * 1024,
  replayTotalChars: 256 * 1024 * 1024,
  resumeGraceMs: 30_000,
  inputWaitMs: 120_000,
  inputWaitingPerKey: 64,
};
