/**
 * Who may do what (docs/specification.md §7): three roles, each including the one below it, and the principal a
 * request is made by once its token is checked.
 */
import type { Role } from '../../../shared/api/contract.js';

/**
 * The roles, most powerful first, from the API contract: `admin` (everything, including keys and
 * config), `operator` (run tools and batches, start and stop servers), `viewer` (read-only).
 */
export { ROLES, isRole, type Role } from '../../../shared/api/contract.js';

/**
 * Where a principal's token came from; `local`: no token at all, a call made in this process by the
 * person at the machine (the desktop app's window, the CLI's local writes).
 */
export type PrincipalKind = 'key' | 'bootstrap' | 'session' | 'local';

/** The caller of a request, as established by `TokenService.authenticate`. */
export interface Principal {
  /** The key's id; `bootstrap` or `session` for those tokens. */
  keyId: string;
  /** The key's name, as shown in the audit log; `(bootstrap)` or `(session)` for those tokens. */
  name: string;
  role: Role;
  /** Tool patterns the key may call; empty means every tool. */
  allow: readonly string[];
  /** Tool patterns the key may not call; they win over `allow`. */
  deny: readonly string[];
  /** Requests per minute; undefined means no limit. */
  rateLimitPerMinute: number | undefined;
  kind: PrincipalKind;
}

/** The person at the machine, acting through `name` (e.g. `desktop`, `cli`): an admin with no limits. */
export function localPrincipal(name: string): Principal {
  return { keyId: 'local', name: `(${name})`, role: 'admin', allow: [], deny: [], rateLimitPerMinute: undefined, kind: 'local' };
}
