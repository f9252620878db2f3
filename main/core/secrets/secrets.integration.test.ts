/**
 * Secrets through a real daemon: `${secret:NAME}` reaches a real server's environment; setting it
 * over the REST API restarts the server with the new value; no answer and no audit entry ever
 * carries a value; clearing it turns the next reload into an error that names the secret.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../shared/api/operations.js';
import { everythingServer, recordStates, startHarness, type Harness } from '../__fixtures__/runtime-harness.js';
import { callOperation } from '../http/__fixtures__/rest-client.js';
import { headlessSecrets } from './environment-secrets.js';

let harness: Harness;
let secretsFile: string;

/** The value of `name` in the environment of the running `everything` server. */
async function serverEnv(name: string): Promise<string | undefined> {
  const client = await harness.connect('everything', 'streamable');
  try {
    const result = (await client.callTool({ name: 'get-env', arguments: {} })) as { content: { type: string; text: string }[] };
    return (JSON.parse(result.content[0]!.text) as Record<string, string>)[name];
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  harness = await startHarness(() => ({ everything: everythingServer({ env: { API_TOKEN: '${secret:API_TOKEN}' } }) }), {
    runtime: {
      // The file exists before the daemon starts: a missing secret at start is a config error.
      secrets: await (async () => {
        secretsFile = join(await mkdtemp(join(tmpdir(), 'mcp-orch-secret-file-')), 'secrets.json');
        const secrets = headlessSecrets({ MCP_ORCH_SECRETS_FILE: secretsFile });
        await secrets.set('API_TOKEN', 'first-value');
        return secrets;
      })(),
    },
  });
});
afterAll(async () => {
  await harness?.dispose();
  if (secretsFile) await rm(dirname(secretsFile), { recursive: true, force: true });
});

describe('secrets over the API', () => {
  it('hands the secret to the server that refers to it', async () => {
    expect(await serverEnv('API_TOKEN')).toBe('first-value');
  });

  it('lists names and dates, never values', async () => {
    const response = await callOperation(harness, operations['secrets.list'], {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ secrets: [{ name: 'API_TOKEN', source: 'file', setAt: expect.any(Number) as unknown }] });
    expect(JSON.stringify(response.body)).not.toContain('first-value');
  });

  it('sets a new value: the server restarts with it, and the value is in no answer and no audit entry', async () => {
    const states = recordStates(harness.runtime.supervisor.onDidChangeState, 'everything');
    const response = await callOperation(harness, operations['secrets.set'], { name: 'API_TOKEN', value: 'second-value' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    await states.until('running');
    states.dispose();
    expect(response.body).toMatchObject({
      secret: { name: 'API_TOKEN', source: 'file' },
      reload: { ok: true, diff: { restarted: ['everything'] } },
    });
    expect(JSON.stringify(response.body)).not.toContain('second-value');
    expect(await serverEnv('API_TOKEN')).toBe('second-value');
    const audit = await callOperation(harness, operations['audit.list'], { limit: 50 });
    expect(JSON.stringify(audit.body)).toContain('secrets.set');
    expect(JSON.stringify(audit.body)).not.toContain('second-value');
    expect(await readFile(secretsFile, 'utf8')).toContain('second-value');
  });

  it('refuses a bad name with a 400 that names the field', async () => {
    const response = await callOperation(harness, operations['secrets.set'], { name: 'bad-name', value: 'v' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/name/);
  });

  it('clears it: the config can no longer be applied, and the error says which secret and how to set it', async () => {
    const response = await callOperation(harness, operations['secrets.clear'], { name: 'API_TOKEN' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'API_TOKEN',
      cleared: true,
      reload: {
        ok: false,
        issues: [
          {
            path: 'mcpServers.everything.env.API_TOKEN',
            message: expect.stringMatching(/secret API_TOKEN is not set: add API_TOKEN to .*secrets\.json/) as unknown,
          },
        ],
      },
    });
    // The last good configuration keeps running.
    expect(harness.runtime.supervisor.get('everything')!.status().state).toBe('running');
    const again = await callOperation(harness, operations['secrets.clear'], { name: 'API_TOKEN' });
    expect(again.body).toEqual({ name: 'API_TOKEN', cleared: false });
  });
});
