/** Test support: raw REST calls to a harness daemon, by operation, with or without a token. */
import { encodeInput, type Operation } from '../../../../shared/api/contract.js';
import type { Harness } from '../../__fixtures__/runtime-harness.js';
import { TEST_TOKEN } from '../../__fixtures__/runtime-harness.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** `undefined` token: none sent; default: the harness's bootstrap admin token. */
export async function callOperation(
  harness: Harness,
  operation: Operation,
  input: Record<string, unknown>,
  token: string | null = TEST_TOKEN,
): Promise<ApiResponse> {
  const { target, body } = encodeInput(operation, input);
  const url = harness.bareUrl(target);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  return send(url, operation.method, headers, body);
}

export async function send(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<ApiResponse> {
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the assertion message
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
