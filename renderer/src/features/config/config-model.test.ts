/**
 * The config editor's model, as plain functions: the draft parsed leniently (JSONC) or not at all,
 * its servers in file order, form edits written into the text so comments and unknown fields
 * survive, issues matched to a field or a server by JSON path, environment references told from
 * secrets, and the transport an entry names or implies.
 */
import { describe, expect, it } from 'vitest';
import { configFileSchema } from '@shared/config';
import { fieldPath, isReference, issuesAt, parseDraft, serverOfIssue, serversOf, setIn, transportOfEntry } from './config-model';

const DRAFT = `{
  // Servers MCP Orch runs.
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "files-server"], "x-note": "kept" },
    "web.search": { "url": "http://127.0.0.1:9000/mcp", },
  },
}
`;

describe('the draft parsed', () => {
  it('reads comments and trailing commas, and keeps fields it does not know', () => {
    expect(parseDraft(DRAFT)).toEqual({
      mcpServers: {
        files: { command: 'npx', args: ['-y', 'files-server'], 'x-note': 'kept' },
        'web.search': { url: 'http://127.0.0.1:9000/mcp' },
      },
    });
  });

  it('is nothing for text that does not parse or is not an object', () => {
    for (const text of ['{ "mcpServers": ', '', '[]', '"text"', 'null', '{} {}']) expect(parseDraft(text)).toBeUndefined();
  });

  it('lists the servers in file order, an entry that is not an object as empty', () => {
    expect(serversOf(parseDraft(DRAFT)).map(([name]) => name)).toEqual(['files', 'web.search']);
    expect(serversOf({ mcpServers: { a: 'junk', b: { command: 'b' } } })).toEqual([
      ['a', {}],
      ['b', { command: 'b' }],
    ]);
    expect(serversOf(undefined)).toEqual([]);
    expect(serversOf({})).toEqual([]);
    expect(serversOf({ mcpServers: [] })).toEqual([]);
  });
});

describe('form edits into the text', () => {
  it('sets a field and keeps the comments and the other fields as written', () => {
    const text = setIn(DRAFT, ['mcpServers', 'files', 'timeout'], 30);
    expect(text).toContain('// Servers MCP Orch runs.');
    expect(text).toContain('"x-note": "kept"');
    expect(parseDraft(text)?.mcpServers).toMatchObject({ files: { command: 'npx', timeout: 30 }, 'web.search': {} });
  });

  it('replaces a value, adds a server, and removes one with undefined', () => {
    let text = setIn(DRAFT, ['mcpServers', 'files', 'args'], ['files-server', '--root', '/tmp']);
    text = setIn(text, ['mcpServers', 'new'], { command: 'npx', args: [] });
    text = setIn(text, ['mcpServers', 'web.search'], undefined);
    expect(serversOf(parseDraft(text))).toEqual([
      ['files', { command: 'npx', args: ['files-server', '--root', '/tmp'], 'x-note': 'kept' }],
      ['new', { command: 'npx', args: [] }],
    ]);
    expect(text).toContain('// Servers MCP Orch runs.');
  });

  it('starts a file from empty text, formatted with two spaces', () => {
    const text = setIn('  ', ['mcpServers', 'one', 'command'], 'run');
    expect(parseDraft(text)).toEqual({ mcpServers: { one: { command: 'run' } } });
    expect(text).toContain('\n  "mcpServers"');
  });

  it('makes text the config schema accepts from a form-built server', () => {
    const text = setIn(setIn('', ['mcpServers', 'tool', 'command'], 'node'), ['mcpServers', 'tool', 'env'], { KEY: '${env:KEY}' });
    expect(configFileSchema.safeParse(parseDraft(text)).success).toBe(true);
  });
});

describe('issues at their fields', () => {
  const issues = [
    { path: 'mcpServers.files.command', message: 'required' },
    { path: 'mcpServers.files.args[0]', message: 'not a string' },
    { path: 'mcpServers.filesystem.url', message: 'bad url' },
    { path: 'mcpServers["web.search"].url', message: 'bad url' },
    { path: 'orch.port', message: 'too big' },
  ];

  it('names a server’s field by the path issues use, quoting names that need it', () => {
    expect(fieldPath('files')).toBe('mcpServers.files');
    expect(fieldPath('files', 'args', 0)).toBe('mcpServers.files.args[0]');
    expect(fieldPath('web.search', 'url')).toBe('mcpServers["web.search"].url');
  });

  it('finds the issues at a path or below it, not at a path that merely starts alike', () => {
    expect(issuesAt(issues, fieldPath('files')).map((issue) => issue.path)).toEqual([
      'mcpServers.files.command',
      'mcpServers.files.args[0]',
    ]);
    expect(issuesAt(issues, fieldPath('files', 'args'))).toEqual([issues[1]]);
    expect(issuesAt(issues, fieldPath('web.search'))).toEqual([issues[3]]);
    expect(issuesAt(issues, fieldPath('absent'))).toEqual([]);
  });

  it('tells which server an issue belongs to, if any', () => {
    const servers = ['files', 'filesystem', 'web.search'];
    expect(serverOfIssue('mcpServers.files.args[0]', servers)).toBe('files');
    expect(serverOfIssue('mcpServers.filesystem.url', servers)).toBe('filesystem');
    expect(serverOfIssue('mcpServers["web.search"]', servers)).toBe('web.search');
    expect(serverOfIssue('orch.port', servers)).toBeUndefined();
  });
});

describe('secrets and transports', () => {
  it('shows references to the environment as written, anything else as a secret', () => {
    for (const value of ['${API_KEY}', '${env:API_KEY}', ' ${_x1} ']) expect(isReference(value)).toBe(true);
    for (const value of ['sk-123', '${API KEY}', '${1KEY}', 'prefix-${KEY}', '${env:}', '$KEY']) expect(isReference(value)).toBe(false);
  });

  it('takes the transport an entry names, else stdio for a command and streamable HTTP for a URL', () => {
    expect(transportOfEntry({ command: 'x' })).toBe('stdio');
    expect(transportOfEntry({ url: 'http://h/mcp' })).toBe('streamableHttp');
    expect(transportOfEntry({ url: 'http://h/sse', type: 'sse' })).toBe('sse');
    expect(transportOfEntry({ url: 'http://h/sse', transportType: 'sse', type: 'http' })).toBe('sse');
    expect(transportOfEntry({ url: 'http://h/mcp', type: 'http' })).toBe('streamableHttp');
    expect(transportOfEntry({ url: 'http://h/mcp', type: 'stdio' })).toBe('stdio');
    expect(transportOfEntry({ command: 'x', transportType: 42 })).toBe('stdio');
  });
});
