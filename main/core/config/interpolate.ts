/**
 * `${env:NAME}`, `${NAME}` and `${secret:NAME}` interpolation (docs/specification.md §2). A missing variable or
 * secret is an error naming the JSON path of the value that needed it (and, for a secret, how to
 * set it); `$${…}` escapes a literal `${…}`.
 */
import type { SecretReader } from '../secrets/secret-provider.js';

const PLACEHOLDER = /\$(\$?)\{(?:(env|secret):)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface InterpolationIssue {
  path: (string | number)[];
  message: string;
}

/** Where placeholders are looked up. */
export interface InterpolationSources {
  env: Record<string, string | undefined>;
  secrets: SecretReader;
}

export function interpolateString(
  value: string,
  sources: InterpolationSources,
  path: (string | number)[],
  issues: InterpolationIssue[],
): string {
  if (!value.includes('${')) return value;
  return value.replace(PLACEHOLDER, (whole, escaped: string, kind: string | undefined, name: string) => {
    if (escaped) return whole.slice(1);
    if (kind === 'secret') {
      const secret = sources.secrets.get(name);
      if (secret === undefined) issues.push({ path, message: `secret ${name} is not set: ${sources.secrets.howToSet(name)}` });
      return secret ?? '';
    }
    const found = sources.env[name];
    if (found === undefined) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return '';
    }
    return found;
  });
}

/** Interpolates every string inside `value` (objects and arrays walked), returning a copy. */
export function interpolateDeep<T>(value: T, sources: InterpolationSources, path: (string | number)[], issues: InterpolationIssue[]): T {
  if (typeof value === 'string') return interpolateString(value, sources, path, issues) as T;
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => interpolateDeep(item, sources, [...path, index], issues)) as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = interpolateDeep(item, sources, [...path, key], issues);
    return copy as T;
  }
  return value;
}

/** Whether `text` refers to secret `name` (`${secret:NAME}`, not escaped). */
export function refersToSecret(text: string, name: string): boolean {
  for (const match of text.matchAll(PLACEHOLDER)) if (!match[1] && match[2] === 'secret' && match[3] === name) return true;
  return false;
}
