/**
 * Another program's JSON config file, read and rewritten the careful way: comments and trailing
 * commas accepted, edits applied to the text (so formatting, comments and unknown keys survive),
 * written atomically (temp file + rename), private (0600), with the previous file kept as a backup.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { applyEdits, modify, parse, printParseErrorCode, type JSONPath, type ParseError } from 'jsonc-parser';

export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}

export interface JsonFileContent {
  /** The text, `undefined` when the file does not exist. */
  text: string | undefined;
  /** The parsed object; `{}` for a missing or empty file. */
  value: Record<string, unknown>;
}

/** Reads a JSON(C) file whose top level must be an object. Throws `JsonFileError` when it is not. */
export async function readJsonFile(path: string): Promise<JsonFileContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined, value: {} };
    throw new JsonFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.trim() === '') return { text, value: {} };
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new JsonFileError(
      `${path} is not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset}): fix it in its editor first`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JsonFileError(`${path} does not hold a JSON object`);
  return { text, value: value as Record<string, unknown> };
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** `text` with `value` set at `path` (`undefined` removes it), everything else kept. */
export function setJsonValue(text: string | undefined, path: JSONPath, value: unknown): string {
  const base = text === undefined || text.trim() === '' ? '{}\n' : text;
  const next = applyEdits(base, modify(base, path, value, FORMAT));
  return next.endsWith('\n') ? next : `${next}\n`;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
