/**
 * Matches `METHOD /api/...` against the operations' path templates. Literal segments win over
 * parameters (`/api/runs/dry-run` before `/api/runs/{id}`); a path known under other methods is a
 * 405 with those methods.
 */
import { pathParamNames, type Operation } from '../../../shared/api/contract.js';

export type RouteMatch<Op extends Operation> =
  | { kind: 'found'; operation: Op; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'badEncoding' }
  | { kind: 'none' };

interface Route<Op extends Operation> {
  operation: Op;
  pattern: RegExp;
  names: string[];
}

export class RouteTable<Op extends Operation> {
  private readonly routes: Route<Op>[];

  constructor(operations: readonly Op[]) {
    this.routes = operations
      .map((operation) => ({ operation, pattern: compile(operation.path), names: pathParamNames(operation.path) }))
      .sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, path: string): RouteMatch<Op> {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allow = new Set<string>();
    for (const route of this.routes) {
      const found = route.pattern.exec(trimmed);
      if (!found) continue;
      if (route.operation.method !== wanted) {
        allow.add(route.operation.method);
        continue;
      }
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1]!)));
      } catch {
        return { kind: 'badEncoding' };
      }
      return { kind: 'found', operation: route.operation, params };
    }
    return allow.size > 0 ? { kind: 'method', allow: [...allow] } : { kind: 'none' };
  }
}

function compile(template: string): RegExp {
  const source = template
    .split(/(\{[^{}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
