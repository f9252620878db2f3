import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CLIENT_KINDS,
  ClientConfigError,
  endpointUrl,
  generateClientConfig,
  orchBaseUrl,
  shellQuote,
  type ClientConfigServer,
  type ClientConfigTarget,
  type ClientKind,
  type ClientTransport,
} from './client-config.js';

// ---------------------------------------------------------------------------------------------
// Each client's documented format, written from its documentation. Strict objects: a field the
// client does not document for a remote server fails the test.
// ---------------------------------------------------------------------------------------------

const httpUrl = z.url({ protocol: /^https?$/ });
const headerMap = z.record(z.string(), z.string());

/**
 * Cline, `cline_mcp_settings.json`: docs.cline.bot/mcp/configuring-mcp-servers ("MCP Configuration
 * Options": type stdio|sse|streamableHttp, url, headers, autoApprove, disabled, timeout in seconds)
 * and Cline's own validator (cline/cline src/services/mcp/schemas.ts: timeout >= 1). Cline reads a
 * url without `type` as SSE, so `type` is required here.
 */
const clineSchema = z.strictObject({
  mcpServers: z.record(
    z.string(),
    z.strictObject({
      type: z.enum(['sse', 'streamableHttp']),
      url: httpUrl,
      headers: headerMap.optional(),
      autoApprove: z.array(z.string()),
      timeout: z.number().int().min(1),
      disabled: z.boolean(),
    }),
  ),
});

/** Cursor, `~/.cursor/mcp.json`: cursor.com/docs/mcp (remote server: `url`, optional `headers`; transport detected). */
const cursorSchema = z.strictObject({
  mcpServers: z.record(z.string(), z.strictObject({ url: httpUrl, headers: headerMap.optional() })),
});

/**
 * VS Code, `.vscode/mcp.json`: code.visualstudio.com/docs/copilot/reference/mcp-configuration
 * ("HTTP and Server-Sent Events (SSE) servers": type "http" | "sse", url, headers).
 */
const vscodeSchema = z.strictObject({
  servers: z.record(z.string(), z.strictObject({ type: z.enum(['http', 'sse']), url: httpUrl, headers: headerMap.optional() })),
});

/** Windsurf, `~/.codeium/windsurf/mcp_config.json`: docs.windsurf.com/windsurf/cascade/mcp ("Remote HTTP MCPs": serverUrl, headers). */
const windsurfSchema = z.strictObject({
  mcpServers: z.record(z.string(), z.strictObject({ serverUrl: httpUrl, headers: headerMap.optional() })),
});

/** mcp-remote's `--header` parser (geelen/mcp-remote src/lib/utils.ts `parseCommandLineArgs`). */
const MCP_REMOTE_HEADER = /^([A-Za-z0-9_-]+):\s*(.*)$/;

/**
 * Claude Desktop, `claude_desktop_config.json`: stdio servers only (command, args, env), bridged by
 * mcp-remote (github.com/geelen/mcp-remote README: `npx -y mcp-remote <url>`, `--header
 * Authorization:${AUTH_HEADER}` with the value in `env`, because some clients mangle spaces in args;
 * `--transport sse-only`; `--allow-http` for plain http beyond localhost/127.0.0.1).
 */
const claudeDesktopSchema = z.strictObject({
  mcpServers: z.record(
    z.string(),
    z
      .strictObject({ command: z.literal('npx'), args: z.array(z.string().regex(/^\S+$/, 'no spaces in args')), env: headerMap.optional() })
      .superRefine((server, ctx) => {
        const [yes, pkg, url, ...flags] = server.args;
        if (yes !== '-y' || pkg !== 'mcp-remote' || !httpUrl.safeParse(url).success)
          ctx.addIssue({ code: 'custom', message: 'expected -y mcp-remote <url>' });
        for (let i = 0; i < flags.length; i++) {
          const flag = flags[i]!;
          if (flag === '--header') {
            const header = flags[++i] ?? '';
            if (!MCP_REMOTE_HEADER.test(header)) ctx.addIssue({ code: 'custom', message: `bad header ${header}` });
            for (const [, name] of header.matchAll(/\$\{([^}]+)\}/g)) {
              if (server.env?.[name!] === undefined) ctx.addIssue({ code: 'custom', message: `env ${name} missing` });
            }
          } else if (flag === '--transport') {
            if (!['sse-only', 'http-only', 'sse-first', 'http-first'].includes(flags[++i] ?? ''))
              ctx.addIssue({ code: 'custom', message: 'bad transport' });
          } else if (flag !== '--allow-http') {
            ctx.addIssue({ code: 'custom', message: `unexpected ${flag}` });
          }
        }
      }),
  ),
});

/**
 * Claude Code: code.claude.com/docs/en/mcp (`claude mcp add --transport http|sse <name> <url>
 * --header "Name: value"`; names of letters, digits, `-` and `_`; `--header` is variadic, so it
 * follows the positionals).
 */
const claudeCodeArgvSchema = z.union([
  z.tuple([
    z.literal('claude'),
    z.literal('mcp'),
    z.literal('add'),
    z.literal('--transport'),
    z.enum(['http', 'sse']),
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/),
    httpUrl,
  ]),
  z.tuple([
    z.literal('claude'),
    z.literal('mcp'),
    z.literal('add'),
    z.literal('--transport'),
    z.enum(['http', 'sse']),
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/),
    httpUrl,
    z.literal('--header'),
    z.string().regex(/^[A-Za-z0-9-]+: .+$/),
  ]),
]);

const JSON_SCHEMAS: Record<Exclude<ClientKind, 'claude-code'>, z.ZodType> = {
  cline: clineSchema,
  cursor: cursorSchema,
  vscode: vscodeSchema,
  windsurf: windsurfSchema,
  'claude-desktop': claudeDesktopSchema,
};

/** Splits a POSIX shell command line into words: single quotes, double quotes, backslashes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      word ??= '';
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error('unterminated double quote');
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) i++;
        else if (line[i] === '$' || line[i] === '`') throw new Error('expansion inside double quotes');
        word += line[i];
      }
    } else if (char === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      if (/[$`*?[\]{}~;&|<>()#!]/.test(char)) throw new Error(`unquoted special character ${char} in ${line}`);
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

// ---------------------------------------------------------------------------------------------

const BASE = 'http://127.0.0.1:8000';
const SERVERS: ClientConfigServer[] = [
  { name: 'github', autoApprove: ['list_issues'], timeoutSeconds: 120 },
  { name: 'my docs.v2' },
  { name: 'данные', timeoutSeconds: 0.5 },
];
const TARGETS: ClientConfigTarget[] = [{ kind: 'server', name: 'my docs.v2' }, { kind: 'all' }, { kind: 'aggregate' }];
const TRANSPORTS: ClientTransport[] = ['streamableHttp', 'sse'];
const TOKENS = [undefined, "t0k'en $x"];

const cases = CLIENT_KINDS.flatMap((client) =>
  TARGETS.flatMap((target) => TRANSPORTS.flatMap((transport) => TOKENS.map((token) => ({ client, target, transport, token })))),
);

function expectedUrls(target: ClientConfigTarget, transport: ClientTransport): string[] {
  const path = transport === 'sse' ? 'sse' : 'mcp';
  if (target.kind === 'aggregate') return [`${BASE}/${path}`];
  const names = target.kind === 'all' ? SERVERS.map((server) => server.name) : [target.name];
  return names.map((name) => `${BASE}/${path}/${encodeURIComponent(name)}`);
}

/** Every URL in a snippet value, wherever the client keeps it. */
function urlsOf(value: unknown): string[] {
  return JSON.stringify(value).match(/https?:\/\/[^"]+/g) ?? [];
}

describe('generateClientConfig: every snippet parses with its client documented format', () => {
  it.each(cases)('$client, $target.kind, $transport, token: $token', ({ client, target, transport, token }) => {
    const snippet = generateClientConfig({ client, baseUrl: BASE, servers: SERVERS, target, transport, token });
    expect(snippet.client).toBe(client);
    const urls = expectedUrls(target, transport);

    if (client === 'claude-code') {
      expect(snippet.format).toBe('shell');
      const lines = snippet.text.split('\n');
      expect(lines).toHaveLength(urls.length);
      const argv = lines.map(shellWords);
      expect(argv).toEqual(snippet.value);
      for (const words of argv) claudeCodeArgvSchema.parse(words);
      expect(argv.map((words) => words[6])).toEqual(urls);
      expect(argv.every((words) => words[4] === (transport === 'sse' ? 'sse' : 'http'))).toBe(true);
      expect(argv.every((words) => (token ? words[8] === `Authorization: Bearer ${token}` : words.length === 7))).toBe(true);
      return;
    }

    expect(snippet.format).toBe('json');
    expect(JSON.parse(snippet.text)).toEqual(snippet.value);
    const parsed = JSON_SCHEMAS[client].parse(JSON.parse(snippet.text));
    expect(urlsOf(parsed)).toEqual(urls);
    const keys = Object.keys(Object.values(parsed as Record<string, object>)[0]!);
    expect(keys).toEqual(
      target.kind === 'aggregate' ? ['mcp-orch'] : target.kind === 'all' ? SERVERS.map((server) => server.name) : [target.name],
    );
    if (token) expect(snippet.text).toContain(`Bearer ${token}`);
    else expect(snippet.text).not.toMatch(/authorization|bearer/i);
  });
});

describe('generateClientConfig details', () => {
  it('percent-encodes names in URLs and keeps them as-is in JSON keys', () => {
    const { value } = generateClientConfig({ client: 'vscode', baseUrl: BASE, servers: SERVERS, target: { kind: 'all' } });
    expect(value).toEqual({
      servers: {
        github: { type: 'http', url: `${BASE}/mcp/github` },
        'my docs.v2': { type: 'http', url: `${BASE}/mcp/my%20docs.v2` },
        данные: { type: 'http', url: `${BASE}/mcp/%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5` },
      },
    });
  });

  it('gives Cline the transport, auto-approvals and whole-second timeouts', () => {
    const { value } = generateClientConfig({ client: 'cline', baseUrl: BASE, servers: SERVERS, target: { kind: 'all' }, token: 'tok' });
    expect(value).toEqual({
      mcpServers: {
        github: {
          type: 'streamableHttp',
          url: `${BASE}/mcp/github`,
          headers: { Authorization: 'Bearer tok' },
          autoApprove: ['list_issues'],
          timeout: 120,
          disabled: false,
        },
        'my docs.v2': {
          type: 'streamableHttp',
          url: `${BASE}/mcp/my%20docs.v2`,
          headers: { Authorization: 'Bearer tok' },
          autoApprove: [],
          timeout: 60,
          disabled: false,
        },
        данные: {
          type: 'streamableHttp',
          url: `${BASE}/mcp/%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5`,
          headers: { Authorization: 'Bearer tok' },
          autoApprove: [],
          timeout: 1,
          disabled: false,
        },
      },
    });
  });

  it('gives the aggregate the longest timeout and no per-server approvals', () => {
    const { value } = generateClientConfig({
      client: 'cline',
      baseUrl: BASE,
      servers: SERVERS,
      target: { kind: 'aggregate' },
      transport: 'sse',
    });
    expect(value).toEqual({
      mcpServers: { 'mcp-orch': { type: 'sse', url: `${BASE}/sse`, autoApprove: [], timeout: 120, disabled: false } },
    });
  });

  it('passes the token to mcp-remote through env, never as an arg', () => {
    const { value, text } = generateClientConfig({
      client: 'claude-desktop',
      baseUrl: BASE,
      servers: SERVERS,
      target: { kind: 'server', name: 'github' },
      token: 'secret',
    });
    expect(value).toEqual({
      mcpServers: {
        github: {
          command: 'npx',
          args: ['-y', 'mcp-remote', `${BASE}/mcp/github`, '--header', 'Authorization:${MCP_ORCH_AUTH}'],
          env: { MCP_ORCH_AUTH: 'Bearer secret' },
        },
      },
    });
    expect(text.match(/secret/g)).toHaveLength(1);
  });

  it('tells mcp-remote to use SSE, and to allow plain http beyond loopback', () => {
    const { value } = generateClientConfig({
      client: 'claude-desktop',
      baseUrl: 'http://192.168.1.5:8000',
      servers: SERVERS,
      target: { kind: 'aggregate' },
      transport: 'sse',
    });
    expect(value).toEqual({
      mcpServers: {
        'mcp-orch': {
          command: 'npx',
          args: ['-y', 'mcp-remote', 'http://192.168.1.5:8000/sse', '--transport', 'sse-only', '--allow-http'],
        },
      },
    });
  });

  it('turns names into ones Claude Code accepts, distinct, with the real name in the URL', () => {
    const servers = [{ name: 'my docs.v2' }, { name: 'my docs v2' }, { name: 'café' }, { name: 'данные' }, { name: '--x' }];
    const { value } = generateClientConfig({ client: 'claude-code', baseUrl: BASE, servers, target: { kind: 'all' } });
    const argv = value as string[][];
    expect(argv.map((words) => words[5])).toEqual(['my-docs-v2', 'my-docs-v2-2', 'cafe', 'server', 'x']);
    expect(argv.map((words) => decodeURIComponent(words[6]!.split('/').pop()!))).toEqual(servers.map((server) => server.name));
  });

  it('quotes what a shell would expand or split', () => {
    for (const word of ["it's", 'a b', '$HOME', 'http://[::1]:8000/mcp', '*', '~', 'x;y', '']) {
      expect(shellWords(shellQuote(word))).toEqual([word]);
    }
    expect(shellQuote('http://127.0.0.1:8000/mcp/my%20docs.v2')).toBe('http://127.0.0.1:8000/mcp/my%20docs.v2');
  });

  it('names the known servers for an unknown one, and the valid clients for an unknown client', () => {
    const unknownServer = () =>
      generateClientConfig({ client: 'cursor', baseUrl: BASE, servers: SERVERS, target: { kind: 'server', name: 'nope' } });
    expect(unknownServer).toThrow(ClientConfigError);
    expect(unknownServer).toThrow('unknown server "nope"; known servers: github, my docs.v2, данные');
    const unknownClient = () =>
      generateClientConfig({ client: 'emacs' as ClientKind, baseUrl: BASE, servers: SERVERS, target: { kind: 'all' } });
    expect(unknownClient).toThrow('expected one of: cline, cursor, vscode, claude-code, windsurf, claude-desktop');
  });
});

describe('URLs', () => {
  it('reaches a wildcard bind over loopback and brackets IPv6', () => {
    expect(orchBaseUrl('127.0.0.1', 8000)).toBe('http://127.0.0.1:8000');
    expect(orchBaseUrl('0.0.0.0', 8000)).toBe('http://127.0.0.1:8000');
    expect(orchBaseUrl('::', 9)).toBe('http://[::1]:9');
    expect(orchBaseUrl('fe80::1', 9)).toBe('http://[fe80::1]:9');
    expect(orchBaseUrl('localhost', 9)).toBe('http://localhost:9');
  });

  it('joins the endpoint path', () => {
    expect(endpointUrl('http://h:1/', 'sse', 'a/b')).toBe('http://h:1/sse/a%2Fb');
    expect(endpointUrl('http://h:1', 'streamableHttp')).toBe('http://h:1/mcp');
  });
});
