// A remote MCP server that needs a sign-in, with its own authorization server, for tests: the MCP
// authorization spec as a hosted server does it (protected-resource metadata, authorization-server
// metadata, dynamic registration, PKCE, refresh, revocation), on the SDK's server parts, all on
// 127.0.0.1 in one process.
//
//   node oauth-server.mjs [--consent] [--scopes "mcp:read mcp:write"] [--challenge-scope mcp:read]
//                         [--step-up write=mcp:write] [--ttl 3600] [--no-registration]
//
// Prints one JSON line `{ "url", "base" }` when it listens. `--consent`: the authorization page asks
// (an Approve button) instead of approving at once. `--step-up tool=scope`: calling `tool` needs
// `scope` too (403 insufficient_scope until the token has it). `--challenge-scope`: the scope a 401
// names in its `WWW-Authenticate`. `/admin/*` (tests only): `revoke`
// ends every token, `expire` ends the access tokens (refresh still works), `stats` counts requests.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { z } from 'zod';

const option = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const consent = process.argv.includes('--consent');
const scopesSupported = (option('scopes') ?? 'mcp:read').split(' ');
const [stepUpTool, stepUpScope] = (option('step-up') ?? '=').split('=');
const ttlSeconds = Number(option('ttl') ?? 3600);
const challengeScope = option('challenge-scope');
// `--no-registration`: the authorization server offers no dynamic client registration (a client must be pre-registered).
const registration = !process.argv.includes('--no-registration');

const secret = () => randomBytes(24).toString('base64url');
const clients = new Map();
const codes = new Map();
const accessTokens = new Map();
const refreshTokens = new Map();
const stats = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0, mcpRequests: 0, unauthorized: 0 };

const issue = (clientId, scopes, resource) => {
  const access = secret();
  const refresh = secret();
  accessTokens.set(access, { clientId, scopes, resource, expiresAt: Math.floor(Date.now() / 1000) + ttlSeconds });
  refreshTokens.set(refresh, { clientId, scopes, resource });
  return { access_token: access, token_type: 'bearer', expires_in: ttlSeconds, refresh_token: refresh, scope: scopes.join(' ') };
};

const provider = {
  clientsStore: {
    getClient: async (id) => clients.get(id),
    ...(registration
      ? {
          registerClient: async (client) => {
            stats.registrations++;
            clients.set(client.client_id, client);
            return client;
          },
        }
      : {}),
  },
  async authorize(client, params, res) {
    stats.authorizations++;
    const scopes = params.scopes?.length ? params.scopes : [scopesSupported[0]];
    const code = secret();
    codes.set(code, { clientId: client.client_id, challenge: params.codeChallenge, scopes, resource: params.resource?.href });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    if (!consent) return res.redirect(target.href);
    res
      .type('html')
      .send(
        `<!doctype html><title>Sign in</title><h1>Sign in to the test server</h1><p>${client.client_name ?? 'A client'} asks for: ${scopes.join(', ')}</p>` +
          `<a id="approve" href="${target.href.replace(/"/g, '&quot;')}">Approve</a>`,
      );
  },
  async challengeForAuthorizationCode(_client, code) {
    const entry = codes.get(code);
    if (!entry) throw new InvalidGrantError('unknown authorization code');
    return entry.challenge;
  },
  async exchangeAuthorizationCode(client, code) {
    const entry = codes.get(code);
    codes.delete(code);
    if (!entry || entry.clientId !== client.client_id) throw new InvalidGrantError('unknown authorization code');
    stats.codeExchanges++;
    return issue(client.client_id, entry.scopes, entry.resource);
  },
  async exchangeRefreshToken(client, refreshToken) {
    const entry = refreshTokens.get(refreshToken);
    if (!entry || entry.clientId !== client.client_id) throw new InvalidGrantError('the refresh token is not valid');
    refreshTokens.delete(refreshToken);
    stats.refreshes++;
    return issue(client.client_id, entry.scopes, entry.resource);
  },
  async verifyAccessToken(token) {
    const entry = accessTokens.get(token);
    if (!entry || entry.expiresAt <= Date.now() / 1000) throw new InvalidTokenError('the access token is not valid');
    return { token, clientId: entry.clientId, scopes: entry.scopes, expiresAt: entry.expiresAt };
  },
};

const app = express();
const listener = app.listen(0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const base = `http://127.0.0.1:${listener.address().port}`;
const mcpUrl = new URL('/mcp', base);
const metadataUrl = getOAuthProtectedResourceMetadataUrl(mcpUrl);

app.use(
  mcpAuthRouter({
    provider,
    issuerUrl: new URL(`${base}/`),
    scopesSupported,
    resourceServerUrl: mcpUrl,
    tokenOptions: { rateLimit: false },
    authorizationOptions: { rateLimit: false },
    clientRegistrationOptions: { rateLimit: false },
  }),
);
app.post('/admin/revoke', (_req, res) => {
  accessTokens.clear();
  refreshTokens.clear();
  res.json({ ok: true });
});
app.post('/admin/expire', (_req, res) => {
  accessTokens.clear();
  res.json({ ok: true });
});
app.get('/admin/stats', (_req, res) => res.json(stats));

const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl: metadataUrl });
app.post(
  '/mcp',
  (req, res, next) => {
    stats.mcpRequests++;
    if (challengeScope && !req.headers.authorization) {
      stats.unauthorized++;
      res.set('WWW-Authenticate', `Bearer error="invalid_token", scope="${challengeScope}", resource_metadata="${metadataUrl}"`);
      return res.status(401).json({ error: 'invalid_token', error_description: 'sign in first' });
    }
    bearer(req, res, (error) => {
      if (error) return next(error);
      if (!req.auth) stats.unauthorized++;
      next();
    });
  },
  express.json(),
  (req, res, next) => {
    const call = req.body;
    if (stepUpTool && call?.method === 'tools/call' && call.params?.name === stepUpTool && !req.auth.scopes.includes(stepUpScope)) {
      const wanted = [...new Set([...req.auth.scopes, stepUpScope])].join(' ');
      res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${wanted}", resource_metadata="${metadataUrl}"`);
      return res.status(403).json({ error: 'insufficient_scope', error_description: `${stepUpTool} needs ${stepUpScope}` });
    }
    next();
  },
  async (req, res) => {
    const server = new McpServer({ name: 'oauth-fixture', version: '1.0.0' });
    server.registerTool('whoami', { description: 'The scopes of the caller’s token', inputSchema: {} }, async () => ({
      content: [{ type: 'text', text: req.auth.scopes.join(' ') }],
    }));
    server.registerTool('echo', { description: 'Echoes text', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool('write', { description: 'Writes (needs the write scope under --step-up)', inputSchema: {} }, async () => ({
      content: [{ type: 'text', text: 'written' }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  },
);
for (const method of ['get', 'delete']) app[method]('/mcp', (_req, res) => res.status(405).set('Allow', 'POST').end());

process.stdout.write(`${JSON.stringify({ url: mcpUrl.href, base })}\n`);
process.on('SIGTERM', () => process.exit(0));
