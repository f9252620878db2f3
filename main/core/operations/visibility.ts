/**
 * Who may see which records (docs/auth.md, "Who sees what"): an admin whose key has no tool
 * patterns sees everything; any other key sees only the calls and runs made with it (or with the
 * keys it replaced by rotation), and of those only the ones whose tools its patterns allow. Server
 * states, config reloads and catalog changes carry no results and are seen by every key.
 */
import { compileToolPatterns } from '../auth/permissions.js';
import type { Principal } from '../auth/roles.js';
import type { TokenService } from '../auth/token-service.js';
import type { RecordScope } from '../store/record-scope.js';

/** What a principal may see of the call log and the runs; `all` for an unrestricted admin. */
export type Visibility = { all: true } | ({ all: false } & Required<Pick<RecordScope, 'keyIds'>> & RecordScope);

export function visibilityOf(principal: Principal, tokens: Pick<TokenService, 'lineage'>): Visibility {
  const restricted = principal.allow.length > 0 || principal.deny.length > 0;
  if (principal.role === 'admin' && !restricted) return { all: true };
  return {
    all: false,
    keyIds: principal.kind === 'key' ? tokens.lineage(principal.keyId) : [principal.keyId],
    ...(restricted ? { visible: compileToolPatterns(principal.allow, principal.deny) } : {}),
  };
}

/** The store's scope of a visibility: none for `all`. */
export function scopeOf(visibility: Visibility): RecordScope | undefined {
  return visibility.all ? undefined : visibility;
}

/** Whether a record of key `keyId` about `server`'s `tool` (none for non-tool records) may be shown. */
export function sees(visibility: Visibility, keyId: string | undefined, server?: string, tool?: string): boolean {
  if (visibility.all) return true;
  if (keyId === undefined || !visibility.keyIds.includes(keyId)) return false;
  return server === undefined || tool === undefined || visibility.visible === undefined || visibility.visible(server, tool);
}
