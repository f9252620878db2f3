/**
 * Credential references (`${env:NAME}`, `${secret:NAME}`) and the one seam that resolves them. The
 * config file holds references only; the daemon resolves them when it needs the value, through a
 * `CredentialProvider`: the environment when headless, the OS keychain once the desktop app
 * supplies its own provider. Values are never logged nor put in error messages.
 */
import { CREDENTIAL_REFERENCE } from '../../../shared/config.js';
import type { SecretReader } from '../secrets/secret-provider.js';

/** A parsed `${env:NAME}` or `${secret:NAME}`. */
export interface CredentialReference {
  kind: 'env' | 'secret';
  name: string;
}

/** Parses a reference; undefined for anything else (a literal). */
export function parseCredentialReference(text: string): CredentialReference | undefined {
  const match = CREDENTIAL_REFERENCE.exec(text);
  return match ? { kind: match[1] as 'env' | 'secret', name: match[2]! } : undefined;
}

/** Resolves credential references. */
export interface CredentialProvider {
  /** The value `reference` names, or undefined when nothing is stored under it (an empty value counts as none). */
  resolve(reference: CredentialReference): Promise<string | undefined>;
  /** What the user must do for `reference` to resolve, e.g. `set the environment variable AZURE_API_KEY`. */
  hint(reference: CredentialReference): string;
}

/** A credential that is needed and not there; the message says what to set. */
export class MissingCredentialError extends Error {
  constructor(
    readonly reference: CredentialReference,
    /** What needed it, e.g. `orch.planner.apiKey`. */
    readonly what: string,
    hint: string,
  ) {
    super(`${what} needs a credential: ${hint}`);
    this.name = 'MissingCredentialError';
  }
}

/**
 * The headless provider: both kinds read the environment. There is no keychain without the desktop
 * app, so `${secret:NAME}` falls back to the variable NAME, and the hint says so.
 */
export class EnvironmentCredentials implements CredentialProvider {
  constructor(private readonly env: Record<string, string | undefined> = process.env) {}

  resolve(reference: CredentialReference): Promise<string | undefined> {
    const value = this.env[reference.name];
    return Promise.resolve(value === undefined || value === '' ? undefined : value);
  }

  hint(reference: CredentialReference): string {
    return reference.kind === 'env'
      ? `set the environment variable ${reference.name}`
      : `set the environment variable ${reference.name} (without the desktop app, \${secret:${reference.name}} is read from the environment)`;
  }
}

/**
 * The daemon's provider: `${env:NAME}` from its environment, `${secret:NAME}` from its secret store
 * — the OS keychain in the desktop app, `MCP_ORCH_SECRET_NAME` or the secrets file when headless —
 * where `${secret:NAME}` in a server's settings is looked up too. Read at each resolution, so a
 * secret set after the start is found.
 */
export class RuntimeCredentials implements CredentialProvider {
  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly secrets: SecretReader,
  ) {}

  resolve(reference: CredentialReference): Promise<string | undefined> {
    const value = reference.kind === 'env' ? this.env[reference.name] : this.secrets.get(reference.name);
    return Promise.resolve(value === undefined || value === '' ? undefined : value);
  }

  hint(reference: CredentialReference): string {
    return reference.kind === 'env' ? `set the environment variable ${reference.name}` : this.secrets.howToSet(reference.name);
  }
}

/** Resolves `text` (a reference) or throws `MissingCredentialError` naming what to set; `what` names the setting. */
export async function requireCredential(credentials: CredentialProvider, text: string, what: string): Promise<string> {
  const reference = parseCredentialReference(text);
  // The config schema admits references only; anything else here is a programming error, and its value is not shown.
  if (!reference) throw new Error(`${what} is not a credential reference`);
  const value = await credentials.resolve(reference);
  if (value === undefined) throw new MissingCredentialError(reference, what, credentials.hint(reference));
  return value;
}
