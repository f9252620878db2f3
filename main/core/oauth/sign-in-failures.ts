/**
 * What a failed sign-in tells a person: the cause in words and the next action. The SDK's errors are
 * recognised by name (its classes carry it), so this works for every error the flow can raise.
 */

/** The message for an error of the sign-in flow. */
export function describeSignInFailure(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (name) {
    case 'RegistrationRejectedError':
      return `the authorization server refused to register MCP Orch as a client (${detail}): register a client there and set its id as "oauth.clientId" (and "clientSecret") for this server`;
    case 'IssuerMismatchError':
      return `the authorization server's issuer is not the one expected (${detail}): nothing was saved; this can be a mix-up attack, check the server's URL`;
    case 'AuthorizationServerMismatchError':
      return `the server's authorization server changed (${detail}): sign in again to sign in with the new one`;
    case 'InsecureTokenEndpointError':
      return `${detail}: the authorization server must use https`;
    case 'UnauthorizedError':
      return `the server refused the new sign-in (${detail}): sign in again, or check the account`;
  }
  if (/does not support dynamic client registration/i.test(detail))
    return `the authorization server does not let MCP Orch register itself as a client (no dynamic client registration): register a client there and set its id as "oauth.clientId" (and "clientSecret") for this server`;
  if (/does not match expected|resource .*not allowed|Protected resource/i.test(detail))
    return `the server's metadata names another resource (${detail}): MCP Orch will not send it tokens; check the server's URL`;
  if (code === 'invalid_grant') return `the authorization server refused the code or the saved sign-in (${detail}): sign in again`;
  if (code === 'invalid_client' || code === 'unauthorized_client')
    return `the authorization server refused MCP Orch's client (${detail}): check "oauth.clientId"/"clientSecret", or remove them to register anew`;
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|network/i.test(detail))
    return `the authorization server could not be reached (${detail}): check the network, then sign in again`;
  if (/metadata|discover/i.test(detail))
    return `the server's sign-in metadata could not be read (${detail}): the server may not support sign-in as MCP describes it`;
  return `sign-in failed: ${detail}`;
}
