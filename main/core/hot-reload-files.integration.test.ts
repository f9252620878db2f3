/**
 * Hot reload of `mcp-config.json` (docs/specification.md §2), continued: a file that cannot be applied (bad JSON,
 * a schema error, a missing environment variable) changes nothing and says where it is wrong, the
 * next valid one applies; a JSONC file edited by hand keeps its comments and unknown fields.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { askFixture, errorOf, manyToolsServer, nextReload, pidsOf, rewriteConfig, untilTools } from './__fixtures__/aggregate-test-kit.js';
import { exampleServer, recordStates, type Harness } from './__fixtures__/runtime-harness.js';
import { reloadDaemon } from './__fixtures__/reload-daemon.js';
import { updateConfigFile } from './config/config-writer.js';

/** A variable no test environment sets. */
const UNSET_VARIABLE = 'MCP_ORCH_TEST_VARIABLE_THAT_IS_NOT_SET';

describe('hot reload of files that are invalid or edited by hand', () => {
  const daemon = reloadDaemon();
  const { config, aggregate, aggregateChanges, notePids, expectUntouchedServersUndisturbed } = daemon;
  let harness: Harness;

  beforeAll(() => {
    harness = daemon.harness; // started by the hooks reloadDaemon registered first
  });

  const invalidFiles: { case: string; text: () => string; path: string; message: RegExp }[] = [
    {
      case: 'bad JSON',
      text: () => JSON.stringify(config, null, 2).replace('"mcpServers": {', '"mcpServers": {{'),
      path: '(file)',
      message: /line \d+, column \d+/,
    },
    {
      case: 'a schema error',
      text: () => JSON.stringify({ mcpServers: { ...config.mcpServers, example: { ...exampleServer(), timeout: 'soon' } } }, null, 2),
      path: 'mcpServers.example.timeout',
      message: /number/,
    },
    {
      case: 'a missing environment variable',
      text: () =>
        JSON.stringify(
          {
            mcpServers: {
              ...config.mcpServers,
              steady: { ...manyToolsServer(2, 'steady'), env: { FIXTURE_LABEL: `\${env:${UNSET_VARIABLE}}` } },
            },
          },
          null,
          2,
        ),
      path: 'mcpServers.steady.env.FIXTURE_LABEL',
      message: new RegExp(UNSET_VARIABLE),
    },
  ];

  it.each(invalidFiles)('changes nothing for a file with $case, and reports where it is wrong', async ({ text, path, message }) => {
    expect(process.env[UNSET_VARIABLE]).toBeUndefined();
    const running = harness.runtime.config;
    const pids = pidsOf(harness.runtime);
    const reported = new Promise((resolve) => {
      const dispose = harness.runtime.hotReload.onDidReload((result) => {
        dispose();
        resolve(result);
      });
    });
    const result = await rewriteConfig(harness.runtime, text());
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) as unknown }]));
    expect(await reported).toBe(result);
    expect(harness.runtime.hotReload.status).toEqual(result);

    expect(harness.runtime.config).toBe(running);
    expect(harness.runtime.supervisor.names()).toEqual(['example', 'steady']);
    expect(pidsOf(harness.runtime)).toEqual(pids);
    await expectUntouchedServersUndisturbed();
  });

  it('applies the next valid file after an invalid one', async () => {
    expect(harness.runtime.hotReload.status.ok).toBe(false);
    config.mcpServers.late = manyToolsServer(1, 'late');
    const started = recordStates(harness.runtime.supervisor.onDidChangeState, 'late');
    const result = await rewriteConfig(harness.runtime, config);
    expect(result).toMatchObject({ ok: true });
    expect(result.diff?.added.map((server) => server.name)).toEqual(['late']);
    expect(harness.runtime.hotReload.status).toEqual(result);
    await started.until('running');
    started.dispose();
    notePids();
    await untilTools(
      aggregate.sse,
      aggregateChanges.sse,
      (tools) => tools.some((tool) => tool.name === 'late__tool_0'),
      'late__tool_0 is listed',
    );
    expect((await askFixture(aggregate.sse, 'late__tool_0')).label).toBe('late');
    await expectUntouchedServersUndisturbed();
  });

  it('reloads a JSONC file edited with updateConfigFile: comments and unknown fields survive, a .bak is kept', async () => {
    const commented = [
      '// MCP Orch test configuration, written by hand',
      '{',
      '  /* the servers */',
      '  "mcpServers": {',
      `    "example": ${JSON.stringify(config.mcpServers.example)},`,
      `    "steady": ${JSON.stringify({ ...config.mcpServers.steady, 'x-owner': 'team-a' })}, // keep this one`,
      `    "late": ${JSON.stringify(config.mcpServers.late)},`,
      '  },',
      '  "myEditor": { "theme": "dark" },',
      '  "orch": { "x-future-setting": 7 },',
      '}',
      '',
    ].join('\n');
    const same = await rewriteConfig(harness.runtime, commented);
    expect(same.ok).toBe(true);
    expect(harness.runtime.supervisor.names()).toEqual(['example', 'steady', 'late']);

    const seen = aggregateChanges.streamable.count('tools');
    const reloaded = nextReload(harness.runtime);
    await updateConfigFile(
      harness.configPath,
      [
        { path: ['mcpServers', 'late', 'disabled'], value: true },
        { path: ['orch', 'disabledTools'], value: { steady: ['tool_1'] } },
      ],
      { env: process.env },
    );
    const result = await reloaded;
    expect(result.ok).toBe(true);
    expect(result.diff?.disabled.map((server) => server.name)).toEqual(['late']);
    expect(result.diff?.orch).toEqual(['disabledTools']);

    expect(harness.runtime.supervisor.get('late')?.state).toBe('disabled');
    await aggregateChanges.streamable.after('tools', seen);
    const tools = await untilTools(
      aggregate.streamable,
      aggregateChanges.streamable,
      (list) => !list.some((tool) => tool.name === 'steady__tool_1' || tool.name === 'late__tool_0'),
      'steady__tool_1 and late__tool_0 are hidden',
    );
    expect(tools.map((tool) => tool.name)).toContain('steady__tool_0');
    expect(await errorOf(aggregate.streamable.callTool({ name: 'steady__tool_1', arguments: {} }))).toMatchObject({
      message: expect.stringContaining('steady__tool_1') as unknown,
    });

    const written = await readFile(harness.configPath, 'utf8');
    for (const kept of [
      '// MCP Orch test configuration, written by hand',
      '/* the servers */',
      '// keep this one',
      '"x-owner":"team-a"',
      '"myEditor"',
      '"x-future-setting": 7',
    ]) {
      expect(written).toContain(kept);
    }
    expect(await readFile(`${harness.configPath}.bak`, 'utf8')).toBe(commented);
    expect(harness.runtime.config.file).toMatchObject({
      myEditor: { theme: 'dark' },
      orch: { 'x-future-setting': 7, disabledTools: { steady: ['tool_1'] } },
      mcpServers: { steady: { 'x-owner': 'team-a' }, late: { disabled: true } },
    });
    await expectUntouchedServersUndisturbed();
  });
});
