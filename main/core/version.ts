/** MCP Orch's version, from the package.json of this install (source or built layout). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function orchVersion(): string {
  if (cached) return cached;
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mcp-orch' && pkg.version) return (cached = pkg.version);
    } catch {
      // try the next layout
    }
  }
  return (cached = '0.0.0');
}
