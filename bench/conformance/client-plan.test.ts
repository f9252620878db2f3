// client-plan.mjs decides what the conformance adapter asks the daemon for in each scenario, and the
// config the daemon starts with: the calls must follow the scenario's context and tool list, and
// the config must carry the wire version and the scenario's OAuth inputs (a secret only by reference).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Tool {
  name: string;
  inputSchema?: { properties?: Record<string, { type?: string }> };
}
interface Call {
  name: string;
  arguments: Record<string, unknown>;
}
interface PlanModule {
  CIMD_URL: string;
  SECRET_ENV: string;
  planOf(scenario: string, context?: Record<string, unknown>): { calls(tools: Tool[]): Call[]; resourcesAndPrompts: boolean };
  daemonConfig(input: { url: string; scenario: string; context?: Record<string, unknown>; wire?: string }): {
    config: { mcpServers: Record<string, Record<string, unknown>>; orch?: Record<string, unknown> };
    env: Record<string, string>;
  };
}

const plan = (await import(pathToFileURL(join(import.meta.dirname, 'client-plan.mjs')).href)) as PlanModule;

const add: Tool = { name: 'add_numbers', inputSchema: { properties: { a: { type: 'number' }, b: { type: 'number' } } } };
const other: Tool = { name: 'other', inputSchema: { properties: { x: { type: 'string' } } } };

describe('planOf', () => {
  it('calls the first tool offered, with a and b when it takes numbers', () => {
    expect(plan.planOf('tools_call').calls([add, other])).toEqual([{ name: 'add_numbers', arguments: { a: 2, b: 3 } }]);
    expect(plan.planOf('auth/metadata-default').calls([other, add])).toEqual([{ name: 'other', arguments: {} }]);
    expect(plan.planOf('initialize').calls([])).toEqual([]);
  });

  it("makes the context's tool calls when the scenario gives them", () => {
    const toolCalls = [{ name: 'test_custom_headers', arguments: { region: 'us-west1' } }, { name: 'test_custom_headers_null' }];
    expect(plan.planOf('http-custom-headers', { toolCalls }).calls([add])).toEqual([
      { name: 'test_custom_headers', arguments: { region: 'us-west1' } },
      { name: 'test_custom_headers_null', arguments: {} },
    ]);
  });

  it('calls every tool offered where being offered is the question, and none where the server only lists', () => {
    expect(
      plan
        .planOf('http-invalid-tool-headers')
        .calls([add, other])
        .map((call) => call.name),
    ).toEqual(['add_numbers', 'other']);
    expect(plan.planOf('json-schema-ref-no-deref').calls([add])).toEqual([]);
    expect(plan.planOf('request-metadata').calls([add])).toEqual([]);
  });

  it('walks the named sequence of the request-state scenario, and lists resources and prompts for the header one', () => {
    expect(
      plan
        .planOf('sep-2322-client-request-state')
        .calls([])
        .map((call) => call.name),
    ).toEqual(['test_mrtr_echo_state', 'test_mrtr_unrelated', 'test_mrtr_no_state', 'test_mrtr_no_result_type']);
    expect(plan.planOf('http-standard-headers').resourcesAndPrompts).toBe(true);
    expect(plan.planOf('tools_call').resourcesAndPrompts).toBe(false);
  });
});

describe('daemonConfig', () => {
  const url = 'http://localhost:4000/mcp';

  it('names the generation the suite runs the scenario at', () => {
    expect(plan.daemonConfig({ url, scenario: 'tools_call', wire: '2026-07-28' }).config.mcpServers.conformance).toEqual({
      url,
      transportType: 'streamableHttp',
      protocol: '2026-07-28',
    });
    expect(plan.daemonConfig({ url, scenario: 'tools_call', wire: '2025-11-25' }).config.mcpServers.conformance?.protocol).toBe('2025');
    expect(plan.daemonConfig({ url, scenario: 'tools_call' }).config.mcpServers.conformance?.protocol).toBeUndefined();
  });

  it('puts pre-registered credentials in the config with the secret only as an env reference', () => {
    const context = { client_id: 'pre-id', client_secret: 'pre-secret' };
    const { config, env } = plan.daemonConfig({ url, scenario: 'auth/pre-registration', context });
    expect(config.mcpServers.conformance?.oauth).toEqual({ clientId: 'pre-id', clientSecret: `\${env:${plan.SECRET_ENV}}` });
    expect(JSON.stringify(config)).not.toContain('pre-secret');
    expect(env).toEqual({ [plan.SECRET_ENV]: 'pre-secret' });
  });

  it('sets the client metadata document URL for basic-cimd only', () => {
    expect(plan.daemonConfig({ url, scenario: 'auth/basic-cimd' }).config.orch).toEqual({ oauth: { clientMetadataUrl: plan.CIMD_URL } });
    expect(plan.daemonConfig({ url, scenario: 'auth/metadata-default' }).config.orch).toBeUndefined();
  });
});
