/**
 * What the store keeps of text a client chose (docs/specification.md, "Bounds"): a method name, a
 * tool name, a client name, an error message. Each is bounded, so that a request with a name of
 * 100,000 characters is neither kept whole nor grouped under that name in the statistics; a method
 * outside MCP's own is counted under one label.
 */

export const RECORDED_TEXT_LIMITS = {
  /** Tool, client and target names (MCP's own advice for tool names is 1-128 characters). */
  nameChars: 128,
  /** Error messages and audit details. */
  errorChars: 1_000,
};

/** The label of every method that is not one of MCP's own. */
export const OTHER_METHOD = '(other method)';

/** The requests a client sends a server in MCP (2024-11-05 … 2025-11-25). */
const MCP_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'tasks/get',
  'tasks/list',
  'tasks/result',
  'tasks/cancel',
]);

/** `method` as recorded: itself when MCP defines it, else the one label for all others. */
export function recordedMethod(method: string): string {
  return MCP_METHODS.has(method) ? method : OTHER_METHOD;
}

/** `text` cut to `max` characters, marked with an ellipsis where it was cut. */
export function clipped(text: string, max: number): string;
export function clipped(text: string | undefined, max: number): string | undefined;
export function clipped(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}
