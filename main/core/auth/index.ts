/** Authentication and authorisation (SPEC §7): what the gateway, the REST routes and the CLI import. */
export { ROLES, isRole, type Role, type Principal, type PrincipalKind } from './roles.js';
export {
  TokenService,
  TokenError,
  tokenStatus,
  bootstrapTokenFromEnv,
  MISSING_TOKEN_MESSAGE,
  KEY_PREFIX,
  type TokenServiceOptions,
  type CreateTokenInput,
  type CreatedToken,
  type RotateOptions,
  type RotatedToken,
  type RevokeResult,
  type TokenInfo,
  type TokenStatus,
  type AuthResult,
  type AuthFailure,
  type AuthFailureReason,
} from './token-service.js';
export { SESSION_TOKEN_FILE, createSessionToken, writeSessionToken, readSessionToken, deleteSessionToken } from './session-token.js';
export { RateLimiter, type RateLimit, type RateDecision, type RateLimiterOptions } from './rate-limiter.js';
export { rolePermits, toolPermitted, toolFilter, canCallTool, compileToolPatterns, patternProblem, PATTERN_SEPARATOR, type ToolPredicate } from './permissions.js';
export { extractCredentials, redactUrl, wwwAuthenticate, ACCESS_TOKEN_PARAM, type RequestLike, type CredentialResult, type CredentialSource } from './extract-credentials.js';
export { parseDuration, formatDuration } from './duration.js';
