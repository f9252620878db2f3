/**
 * `${env:NAME}` and `${NAME}` interpolation (docs/specification.md §2). A missing variable is an error naming the
 * JSON path of the value that needed it; `$${…}` escapes a literal `${…}`.
 */
const PLACEHOLDER = /\$(\$?)\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface InterpolationIssue {
  path: (string | number)[];
  message: string;
}

export function interpolateString(
  value: string,
  env: Record<string, string | undefined>,
  path: (string | number)[],
  issues: InterpolationIssue[],
): string {
  if (!value.includes('${')) return value;
  return value.replace(PLACEHOLDER, (whole, escaped: string, name: string) => {
    if (escaped) return whole.slice(1);
    const found = env[name];
    if (found === undefined) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return '';
    }
    return found;
  });
}

/** Interpolates every string inside `value` (objects and arrays walked), returning a copy. */
export function interpolateDeep<T>(
  value: T,
  env: Record<string, string | undefined>,
  path: (string | number)[],
  issues: InterpolationIssue[],
): T {
  if (typeof value === 'string') return interpolateString(value, env, path, issues) as T;
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => interpolateDeep(item, env, [...path, index], issues)) as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = interpolateDeep(item, env, [...path, key], issues);
    return copy as T;
  }
  return value;
}
