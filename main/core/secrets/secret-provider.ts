/**
 * Where `${secret:NAME}` in the config file is looked up: the OS keychain in the desktop app, the
 * environment (or a file the environment names) when headless. A provider hands a value only to
 * the config loader; nothing else ever reads one back out: `list` answers names and dates.
 */
import { MAX_SECRET_BYTES, SECRET_NAME_PATTERN, type SECRET_SOURCES } from '../../../shared/api/operations/secrets.js';

export { MAX_SECRET_BYTES, SECRET_NAME_PATTERN };

/** The most secrets one store keeps. */
export const MAX_SECRETS = 1000;

/** Where a listed secret comes from. */
export type SecretSource = (typeof SECRET_SOURCES)[number];

/** A secret as listed: never its value. */
export interface SecretInfo {
  name: string;
  source: SecretSource;
  /** When it was last set (ms since the epoch); absent for the environment. */
  setAt?: number;
}

/** What the config loader needs: a value by name. */
export interface SecretReader {
  /** The value of `name`, or undefined when it is not set (or cannot be read). Synchronous, cheap. */
  get(name: string): string | undefined;
  /** One sentence telling a person how to set `name` here, for the error about a missing secret. */
  howToSet(name: string): string;
}

export interface SecretProvider extends SecretReader {
  /** Every secret's name, source and date, sorted by name; never a value. */
  list(): SecretInfo[];
  /** Stores `value` under `name` (replacing it). Throws `SecretError` when this provider cannot. */
  set(name: string, value: string): Promise<SecretInfo>;
  /** Forgets `name`; false when it was not stored here. Throws `SecretError` when this provider cannot. */
  delete(name: string): Promise<boolean>;
}

/** Why a secret could not be stored or removed; `read_only`: the provider has no writable store. */
export class SecretError extends Error {
  constructor(
    readonly reason: 'invalid' | 'read_only' | 'unavailable' | 'full',
    message: string,
  ) {
    super(message);
    this.name = 'SecretError';
  }
}

/** Throws `SecretError('invalid')` unless `name` and `value` are acceptable. */
export function checkSecret(name: string, value?: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new SecretError(
      'invalid',
      `"${name.slice(0, 140)}" is not a secret name: use letters, digits and _, not starting with a digit (at most 128)`,
    );
  }
  if (value === undefined) return;
  if (value === '') throw new SecretError('invalid', `the value of secret ${name} is empty`);
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES)
    throw new SecretError('invalid', `the value of secret ${name} is over ${MAX_SECRET_BYTES / 1024} KiB`);
}

/**
 * A writable store in front of a read-only fallback (the environment): reads try the store first,
 * the list shows both (the store's entry wins on a shared name), writes go to the store.
 */
export function layeredSecrets(store: SecretProvider, fallback: SecretProvider): SecretProvider {
  return {
    get: (name) => store.get(name) ?? fallback.get(name),
    howToSet: (name) => store.howToSet(name),
    list() {
      const own = store.list();
      const names = new Set(own.map((info) => info.name));
      return [...own, ...fallback.list().filter((info) => !names.has(info.name))].sort((a, b) => a.name.localeCompare(b.name));
    },
    set: (name, value) => store.set(name, value),
    delete: (name) => store.delete(name),
  };
}
