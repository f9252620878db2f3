import { describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../shared/config.js';
import { EnvironmentCredentials, MissingCredentialError, parseCredentialReference, requireCredential } from './credentials.js';

describe('credential references', () => {
  it('parses env and secret references, and nothing else', () => {
    expect(parseCredentialReference('${env:AZURE_API_KEY}')).toEqual({ kind: 'env', name: 'AZURE_API_KEY' });
    expect(parseCredentialReference('${secret:azure.key}')).toEqual({ kind: 'secret', name: 'azure.key' });
    expect(parseCredentialReference('sk-live-123')).toBeUndefined();
    expect(parseCredentialReference('Bearer ${env:X}')).toBeUndefined();
  });

  it('refuses a literal key in orch.planner without repeating it', () => {
    const parsed = configFileSchema.safeParse({
      orch: { planner: { provider: 'openai', model: 'gpt-4.1', apiKey: 'sk-live-0123456789' } },
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues;
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['orch.planner.apiKey']);
    expect(issues[0]!.message).toContain('a literal key in the file is refused');
    expect(JSON.stringify(issues)).not.toContain('sk-live');
  });

  it('checks what each provider needs', () => {
    const issues = (planner: Record<string, unknown>) => {
      const parsed = configFileSchema.safeParse({ orch: { planner } });
      return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(issues({ provider: 'azure', model: 'gpt-4.1' })).toEqual(['orch.planner.resourceName: azure needs "resourceName" or "baseURL"']);
    expect(issues({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0' })).toEqual(['orch.planner.region: bedrock needs "region"']);
    expect(issues({ provider: 'openai-compatible', model: 'llama3.1' })[0]).toContain('openai-compatible needs "baseURL"');
    expect(issues({ provider: 'bedrock', model: 'm', region: 'us-east-1', accessKeyId: '${env:AWS_ACCESS_KEY_ID}' })[0]).toContain(
      'go together',
    );
    expect(
      issues({ provider: 'azure', model: 'gpt-4.1', resourceName: 'acme', apiKey: '${secret:azure}', maxTokens: 4000, temperature: 0 }),
    ).toEqual([]);
  });

  it('resolves from the environment, and a missing one names the variable to set', async () => {
    const credentials = new EnvironmentCredentials({ AZURE_API_KEY: 'k-1', EMPTY: '' });
    await expect(requireCredential(credentials, '${env:AZURE_API_KEY}', 'orch.planner.apiKey')).resolves.toBe('k-1');
    await expect(requireCredential(credentials, '${secret:AZURE_API_KEY}', 'orch.planner.apiKey')).resolves.toBe('k-1');
    const missing = requireCredential(credentials, '${env:EMPTY}', 'orch.planner.apiKey');
    await expect(missing).rejects.toBeInstanceOf(MissingCredentialError);
    await expect(missing).rejects.toThrow('orch.planner.apiKey needs a credential: set the environment variable EMPTY');
    await expect(requireCredential(credentials, '${secret:NOPE}', 'x')).rejects.toThrow(
      'set the environment variable NOPE (without the desktop app',
    );
  });
});
