import { describe, expect, it } from 'vitest';
import { ConfigError, formatJsonPath, parseConfig } from './config-loader.js';

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, { env, home: '/home/u' });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('reads a Claude Desktop / Cline file, with comments and trailing commas', () => {
    const config = parseConfig(
      `{
        // Cline writes "type"
        "mcpServers": {
          "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": { "T": "\${env:GH}" }, "cwd": "~/work", "timeout": 5, "autoApprove": ["list_issues"], },
          "docs": { "type": "streamableHttp", "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${DOCS}" } },
          "old": { "url": "http://localhost:9/sse", "transportType": "sse", "disabled": true },
        },
      }`,
      { env: { GH: 'secret', DOCS: 'tok' }, home: '/home/u' },
    );
    const [github, docs, old] = config.servers;
    expect(github).toMatchObject({
      name: 'github',
      transport: 'stdio',
      command: 'npx',
      env: { T: 'secret' },
      cwd: '/home/u/work',
      timeoutMs: 5000,
      autoApprove: ['list_issues'],
    });
    expect(docs).toMatchObject({ transport: 'streamableHttp', headers: { Authorization: 'Bearer tok' }, timeoutMs: 60_000 });
    expect(old).toMatchObject({ transport: 'sse', disabled: true });
    expect(config.orch).toMatchObject({ port: 8000, host: '127.0.0.1', mode: 'proxy', namespaceSeparator: '__' });
  });

  it('resolves the batch settings', () => {
    const { orch } = parseConfig('{"orch":{"mode":"batch","batch":{"perServerConcurrency":2,"approveAll":true}}}', { env: {} });
    expect(orch).toMatchObject({ mode: 'batch', batch: { perServerConcurrency: 2, approveAll: true, maxResultChars: 2000 } });
  });

  it('keeps unknown fields', () => {
    const config = parseConfig('{"mcpServers":{"a":{"command":"x","myField":1}},"other":{"k":true}}', { env: {} });
    expect(config.file).toMatchObject({ other: { k: true }, mcpServers: { a: { myField: 1 } } });
  });

  it('names the JSON path of every schema problem at once', () => {
    expect(
      issuesOf('{"mcpServers":{"a":{"command":"x","timeout":"slow"},"b":{"transportType":"sse"},"c":{"args":[1]}},"orch":{"port":70000}}'),
    ).toEqual([
      'mcpServers.a.timeout: Invalid input: expected number, received string',
      'mcpServers.b.url: a sse server needs "url"',
      'mcpServers.c.args[0]: Invalid input: expected string, received number',
      'orch.port: Too big: expected number to be <=65535',
    ]);
  });

  it('reports a missing environment variable with server and key', () => {
    expect(issuesOf('{"mcpServers":{"gh":{"command":"x","env":{"TOKEN":"${env:NOPE}"}}}}')).toEqual([
      'mcpServers.gh.env.TOKEN: environment variable NOPE is not set',
    ]);
  });

  it('keeps an escaped placeholder literal', () => {
    const [server] = parseConfig('{"mcpServers":{"a":{"command":"x","args":["$${HOME}"]}}}', { env: {} }).servers;
    expect(server?.args).toEqual(['${HOME}']);
  });

  it('resolves ${secret:NAME} through the secret reader, and names a missing secret and how to set it', () => {
    const secrets = {
      get: (name: string) => (name === 'DOCS_TOKEN' ? 's3cret' : undefined),
      howToSet: (name: string) => `set ${name} in Settings`,
    };
    const text =
      '{"mcpServers":{"docs":{"url":"https://docs.example/mcp","headers":{"Authorization":"Bearer ${secret:DOCS_TOKEN}","X":"$${secret:DOCS_TOKEN}"}}}}';
    expect(parseConfig(text, { env: {}, secrets }).servers[0]?.headers).toEqual({
      Authorization: 'Bearer s3cret',
      X: '${secret:DOCS_TOKEN}',
    });
    expect(() => parseConfig(text.replace('${secret:DOCS', '${secret:OTHER'), { env: {}, secrets })).toThrow(
      'mcpServers.docs.headers.Authorization: secret OTHER_TOKEN is not set: set OTHER_TOKEN in Settings',
    );
  });

  it('looks secrets up in MCP_ORCH_SECRET_<NAME> when no reader is given', () => {
    const text = '{"mcpServers":{"a":{"command":"x","env":{"K":"${secret:K}"}}}}';
    expect(parseConfig(text, { env: { MCP_ORCH_SECRET_K: 'v' } }).servers[0]?.env).toEqual({ K: 'v' });
    expect(issuesOf(text)).toEqual(['mcpServers.a.env.K: secret K is not set: set the environment variable MCP_ORCH_SECRET_K']);
  });

  it('reports syntax errors with line and column', () => {
    expect(issuesOf('{\n  "mcpServers": {\n    "a": { "command": "x" \n  }\n')[0]).toBe('(file): CloseBraceExpected at line 5, column 1');
  });

  it('rejects an unknown transport spelling and a bad url', () => {
    expect(issuesOf('{"mcpServers":{"a":{"type":"carrier-pigeon","url":"ftp://x"}}}')).toEqual([
      expect.stringMatching(/^mcpServers\.a\.type: expected one of stdio, sse, streamableHttp/),
      expect.stringMatching(/^mcpServers\.a\.url: /),
    ]);
  });
});

describe('formatJsonPath', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatJsonPath(['mcpServers', 'my.server', 'args', 0])).toBe('mcpServers["my.server"].args[0]');
  });

  it('keeps orch.planner with its credential references unresolved, and refuses a literal key', () => {
    const config = parseConfig(
      '{"orch": {"planner": {"provider": "azure", "model": "gpt-4.1", "resourceName": "acme", "apiKey": "${env:AZURE_API_KEY}"}}}',
      { env: {} },
    );
    expect(config.orch.planner).toEqual({ provider: 'azure', model: 'gpt-4.1', resourceName: 'acme', apiKey: '${env:AZURE_API_KEY}' });
    expect(issuesOf('{"orch": {"planner": {"provider": "openai", "model": "gpt-4.1", "apiKey": "sk-123"}}}')).toEqual([
      'orch.planner.apiKey: a credential must be a reference, "${env:NAME}" or "${secret:NAME}"; a literal key in the file is refused',
    ]);
  });
});
