import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-loader.js';
import { applyConfigEdits, updateConfigFile, writeConfigFile } from './config-writer.js';

const ORIGINAL = `{
  // my servers
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "x-note": "keep me" },
  },
  "myTool": { "theme": "dark" }
}
`;

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-orch-writer-'));
  path = join(dir, 'mcp-config.json');
  await writeFile(path, ORIGINAL);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config writer', () => {
  it('edits a value and keeps comments and unknown fields', async () => {
    await updateConfigFile(
      path,
      [
        { path: ['mcpServers', 'github', 'disabled'], value: true },
        { path: ['orch', 'disabledTools', 'github'], value: ['delete_repo'] },
      ],
      { env: {} },
    );
    const text = await readFile(path, 'utf8');
    expect(text).toContain('// my servers');
    expect(text).toContain('"x-note": "keep me"');
    expect(text).toMatch(/"myTool": \{\s*"theme": "dark"\s*\}/);
    expect(text).toMatch(/"disabled": true/);
    expect(text).toMatch(/"disabledTools": \{\s*"github": \[\s*"delete_repo"\s*\]/);
  });

  it('keeps the previous file as one backup', async () => {
    await updateConfigFile(path, [{ path: ['orch', 'port'], value: 9000 }], { env: {} });
    await updateConfigFile(path, [{ path: ['orch', 'port'], value: 9001 }], { env: {} });
    expect(await readFile(`${path}.bak`, 'utf8')).toMatch(/"port": 9000/);
    expect((await readdir(dir)).sort()).toEqual(['mcp-config.json', 'mcp-config.json.bak']);
  });

  it('refuses an invalid configuration and leaves the file alone', async () => {
    await expect(writeConfigFile(path, '{"mcpServers":{"x":{"timeout":"soon"}}}', { env: {} })).rejects.toBeInstanceOf(ConfigError);
    expect(await readFile(path, 'utf8')).toBe(ORIGINAL);
    expect(await readdir(dir)).toEqual(['mcp-config.json']);
  });

  it('removes a key with an undefined value', () => {
    expect(JSON.parse(applyConfigEdits('{"a":1,"b":2}', [{ path: ['a'], value: undefined }]))).toEqual({ b: 2 });
  });
});
