/** `clientConfig.get` and `openapi.get`. */
import { operationList } from '../../../shared/api/operations.js';
import { ClientConfigError, generateClientConfig, type ClientConfigTarget } from '../../../shared/client-config.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../../../shared/api/openapi.js';
import type { OperationDeps, Handlers } from './deps.js';
import { OperationError } from './operation-error.js';

export function metaHandlers(deps: OperationDeps): Handlers<'clientConfig.get' | 'openapi.get'> {
  let document: OpenApiDocument | undefined;
  return {
    'clientConfig.get': ({ client, server, aggregate, transport }) => {
      if (server !== undefined && aggregate) throw new OperationError('bad_request', 'give "server" or "aggregate", not both');
      const target: ClientConfigTarget = aggregate
        ? { kind: 'aggregate' }
        : server !== undefined
          ? { kind: 'server', name: server }
          : { kind: 'all' };
      const servers = deps.hotReload.config.servers.map((entry) => ({
        name: entry.name,
        autoApprove: entry.autoApprove,
        timeoutSeconds: entry.timeoutMs / 1000,
      }));
      try {
        // No token in the snippet: secrets are not sent back; the user adds theirs (or the CLI does).
        return generateClientConfig({ client, baseUrl: deps.baseUrl(), servers, target, transport });
      } catch (error) {
        if (error instanceof ClientConfigError) throw new OperationError(error.code, error.message);
        throw error;
      }
    },
    'openapi.get': () => {
      document ??= buildOpenApiDocument(operationList, { version: deps.version, serverUrl: deps.baseUrl() });
      return { ...document, info: { ...document.info } };
    },
  };
}
