/**
 * Makes the language model of `orch.planner` through the Vercel AI SDK, one provider package per
 * provider. Credentials are resolved here, through the injected `CredentialProvider`, when the
 * model is made (not when the config is read), so a daemon without a planner key still starts and
 * the planner's first use says which variable to set. Every provider honours `baseURL`.
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { defaultProvider as awsCredentialChain } from '@aws-sdk/credential-provider-node';
import type { LanguageModel } from 'ai';
import type { PlannerConfig, PlannerProvider } from '../../../shared/config.js';
import { MissingCredentialError, requireCredential, type CredentialProvider } from '../config/credentials.js';
import { PlannerError } from './planner-error.js';
import { plannerErrorOf } from './provider-errors.js';

/** Provider-specific call options, keyed by provider, as the AI SDK takes them. */
export type ProviderOptions = Record<string, Record<string, string | number | boolean>>;

/** The model and how to call it. */
export interface PlannerModel {
  model: LanguageModel;
  /** Who answers, for messages: `azure (gpt-4.1)`. */
  label: string;
  /** What makes two models give different plans (provider, model, endpoint); part of the plan cache key. */
  identity: string;
  providerOptions: ProviderOptions;
  maxOutputTokens: number;
  temperature: number;
  maxRetries: number;
  timeoutMs: number;
  maxTools: number;
  /** Told each warning the provider gives for a call (a setting the model does not support). */
  onWarning?: ((message: string) => void) | undefined;
}

/** Options of `createPlannerModel`. */
export interface ModelFactoryOptions {
  /** The HTTP client the providers use; the platform's `fetch` by default. */
  fetch?: typeof globalThis.fetch;
  /** Where the provider's warnings go (`PlannerModel.onWarning`); the AI SDK would print them to the console. */
  onWarning?: ((message: string) => void) | undefined;
}

const DEFAULT_KEY_VARIABLE: Partial<Record<PlannerProvider, string>> = {
  azure: 'AZURE_API_KEY',
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/**
 * The plan is free-form where tool arguments are (any object), which OpenAI's strict JSON schema
 * mode cannot express: it is asked for as a JSON schema to follow, not a strict one. The checks
 * that matter are ours (`checkPlan`), with a repair round.
 */
const NOT_STRICT: ProviderOptions = {
  openai: { strictJsonSchema: false },
  azure: { strictJsonSchema: false },
  openaiCompatible: { strictJsonSchema: false },
};

/** Makes the model of `config`; throws `PlannerError('missing_credential')` naming what to set. */
export async function createPlannerModel(
  config: PlannerConfig,
  credentials: CredentialProvider,
  options: ModelFactoryOptions = {},
): Promise<PlannerModel> {
  const fetch = options.fetch;
  const apiKey = async (): Promise<string | undefined> => {
    const reference =
      config.apiKey ?? (DEFAULT_KEY_VARIABLE[config.provider] ? `\${env:${DEFAULT_KEY_VARIABLE[config.provider]}}` : undefined);
    return reference === undefined ? undefined : requireCredential(credentials, reference, 'orch.planner.apiKey').catch(asPlannerError);
  };
  let model: LanguageModel;
  switch (config.provider) {
    case 'azure': {
      const entraToken = config.entraToken;
      const azure = createAzure({
        ...(config.baseURL ? { baseURL: config.baseURL } : { resourceName: config.resourceName }),
        ...(entraToken
          ? { tokenProvider: () => requireCredential(credentials, entraToken, 'orch.planner.entraToken').catch(asPlannerError) }
          : { apiKey: await apiKey() }),
        ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
        ...(fetch ? { fetch } : {}),
      });
      model = config.api === 'chat' ? azure.chat(config.model) : azure.responses(config.model);
      break;
    }
    case 'openai': {
      const openai = createOpenAI({
        apiKey: await apiKey(),
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(fetch ? { fetch } : {}),
      });
      model = config.api === 'chat' ? openai.chat(config.model) : openai.responses(config.model);
      break;
    }
    case 'anthropic':
      model = createAnthropic({
        apiKey: await apiKey(),
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(fetch ? { fetch } : {}),
      })(config.model);
      break;
    case 'bedrock':
      model = createAmazonBedrock({
        region: config.region,
        ...(await bedrockAuth(config, credentials)),
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(fetch ? { fetch } : {}),
      })(config.model);
      break;
    case 'openai-compatible':
      model = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: config.baseURL!,
        ...(config.apiKey ? { apiKey: await apiKey() } : {}),
        includeUsage: true,
        supportsStructuredOutputs: true,
        ...(fetch ? { fetch } : {}),
      })(config.model);
      break;
  }
  const endpoint = config.baseURL ?? config.resourceName ?? config.region ?? '';
  return {
    model,
    label: `${config.provider} (${config.model})`,
    identity: [config.provider, config.api ?? '', config.model, endpoint].join('|'),
    providerOptions: NOT_STRICT,
    maxOutputTokens: config.maxTokens ?? 4000,
    temperature: config.temperature ?? 0,
    maxRetries: config.maxRetries ?? 2,
    timeoutMs: (config.timeout ?? 120) * 1000,
    maxTools: config.maxTools ?? 40,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
}

/**
 * Bedrock: an API key (bearer) when configured, else explicit access keys, else the AWS credential
 * chain (environment, shared config and credentials files, SSO, web identity, container and
 * instance metadata), resolved on each call so rotating credentials keep working.
 */
async function bedrockAuth(config: PlannerConfig, credentials: CredentialProvider): Promise<Parameters<typeof createAmazonBedrock>[0]> {
  if (config.apiKey) return { apiKey: await requireCredential(credentials, config.apiKey, 'orch.planner.apiKey').catch(asPlannerError) };
  if (config.accessKeyId && config.secretAccessKey) {
    const [accessKeyId, secretAccessKey, sessionToken] = await Promise.all([
      requireCredential(credentials, config.accessKeyId, 'orch.planner.accessKeyId'),
      requireCredential(credentials, config.secretAccessKey, 'orch.planner.secretAccessKey'),
      config.sessionToken ? requireCredential(credentials, config.sessionToken, 'orch.planner.sessionToken') : undefined,
    ]).catch(asPlannerError);
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  const chain = awsCredentialChain();
  return {
    credentialProvider: async () => {
      try {
        const found = await chain();
        return {
          accessKeyId: found.accessKeyId,
          secretAccessKey: found.secretAccessKey,
          ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
        };
      } catch (error) {
        throw new PlannerError(
          'missing_credential',
          'bedrock found no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a profile of ~/.aws, ' +
            `or set orch.planner.apiKey to "\${env:AWS_BEARER_TOKEN_BEDROCK}" (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    },
  };
}

function asPlannerError(error: unknown): never {
  throw error instanceof MissingCredentialError ? plannerErrorOf(error, 'the planner') : error;
}
