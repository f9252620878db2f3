/**
 * Names of tools and prompts on the aggregated endpoint (docs/specification.md §3): `<server><sep><tool>`, made only
 * of `[A-Za-z0-9_-]` (plus the separator) and at most 64 characters — what OpenAI, Azure and
 * Bedrock accept. A name that needs changing gets a stable hash suffix of its origin, so names never
 * collide and never change while the set of tools stays the same. The table maps names back;
 * nothing is ever parsed.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 64;

export interface Origin {
  server: string;
  name: string;
}

function hashOf(origin: Origin, length: number): string {
  return createHash('sha256').update(origin.server).update('\0').update(origin.name).digest('hex').slice(0, length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Makes the names for one separator. */
export class Namer {
  private readonly valid: RegExp;
  private readonly invalidChar = /[^A-Za-z0-9_-]/g;

  constructor(readonly separator: string) {
    this.valid = new RegExp(`^(?:[A-Za-z0-9_-]|${escapeRegExp(separator)})+$`);
  }

  /** Whether `name` may be exposed as is. */
  isValid(name: string): boolean {
    return name.length > 0 && name.length <= MAX_NAME_LENGTH && this.valid.test(name);
  }

  /** The plain joined name when it is valid, else a sanitised one with a hash suffix of `hashLength` hex digits. */
  nameOf(origin: Origin, hashLength = 0): string {
    const joined = `${origin.server}${this.separator}${origin.name}`;
    if (hashLength === 0 && this.isValid(joined)) return joined;
    const suffix = `_${hashOf(origin, Math.max(hashLength, 6))}`;
    const sanitised = `${origin.server.replace(this.invalidChar, '_')}${this.separator}${origin.name.replace(this.invalidChar, '_')}`;
    return `${sanitised.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
  }
}

/** A two-way table of exposed names for a set of origins. */
export class NameTable {
  private readonly byName = new Map<string, Origin>();
  private readonly byOrigin = new Map<string, string>();

  constructor(origins: Iterable<Origin>, namer: Namer) {
    const pending = [...origins];
    // Origins whose plain names clash are all suffixed; a clash of suffixed names lengthens the hash.
    for (let hashLength = 0; pending.length > 0; hashLength = hashLength === 0 ? 6 : hashLength + 4) {
      const candidates = new Map<string, Origin[]>();
      for (const origin of pending) {
        const name = namer.nameOf(origin, hashLength);
        const list = candidates.get(name);
        if (list) list.push(origin);
        else candidates.set(name, [origin]);
      }
      pending.length = 0;
      for (const [name, list] of candidates) {
        if (list.length === 1 && !this.byName.has(name)) this.add(name, list[0]!);
        else pending.push(...list);
      }
      if (hashLength > 40) throw new Error('could not make unique names');
    }
  }

  /** The origin of an exposed name. */
  resolve(name: string): Origin | undefined {
    return this.byName.get(name);
  }

  /** The exposed name of an origin. */
  nameOf(server: string, name: string): string | undefined {
    return this.byOrigin.get(`${server}\0${name}`);
  }

  get size(): number {
    return this.byName.size;
  }

  private add(name: string, origin: Origin): void {
    this.byName.set(name, origin);
    this.byOrigin.set(`${origin.server}\0${origin.name}`, name);
  }
}
