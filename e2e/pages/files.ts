/** Reads files the daemon wrote, with the shape of mcp-config.json. */
import { readFile } from 'node:fs/promises';

export interface ConfigOnDisk {
  mcpServers: Record<string, Record<string, unknown>>;
  orch?: Record<string, unknown>;
}

export async function readConfig(path: string): Promise<ConfigOnDisk> {
  return JSON.parse(await readFile(path, 'utf8')) as ConfigOnDisk;
}
