/**
 * Writes `mcp-config.json` for the API and the dashboard: edits are applied to the text (JSONC
 * aware), so comments, formatting and unknown fields survive; the result is validated before it is
 * written; the write is atomic (temp file + rename) and the previous file is kept as `.bak`.
 */
import { readFile } from 'node:fs/promises';
import { applyEdits, modify, type JSONPath } from 'jsonc-parser';
import { writeFileAtomic } from './atomic-file.js';
import { parseConfig, type LoadOptions, type ResolvedConfig } from './config-loader.js';

export interface ConfigEdit {
  /** JSON path of the value, e.g. `['mcpServers', 'github', 'disabled']`. */
  path: JSONPath;
  /** The new value; `undefined` removes the key. */
  value: unknown;
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** Applies edits to config text, keeping everything else as it was. */
export function applyConfigEdits(text: string, edits: readonly ConfigEdit[]): string {
  let result = text.trim() === '' ? '{}' : text;
  for (const edit of edits) result = applyEdits(result, modify(result, edit.path, edit.value, FORMAT));
  return result.endsWith('\n') ? result : `${result}\n`;
}

/**
 * Validates `text` as a configuration and writes it atomically to `path`, keeping the previous file
 * as `<path>.bak`. Throws `ConfigError` without touching the file when the text is invalid.
 */
export async function writeConfigFile(path: string, text: string, options: LoadOptions = {}): Promise<ResolvedConfig> {
  const resolved = parseConfig(text, { ...options, source: options.source ?? path });
  await writeFileAtomic(path, text, `${path}.bak`);
  return { ...resolved, path };
}

/** Reads the file at `path`, applies `edits`, validates and writes it back atomically. */
export async function updateConfigFile(path: string, edits: readonly ConfigEdit[], options: LoadOptions = {}): Promise<ResolvedConfig> {
  const text = await readFile(path, 'utf8');
  return writeConfigFile(path, applyConfigEdits(text, edits), options);
}
