/**
 * How the emulated Electron talks to the test that started it: each thing the app does is one line
 * `FAKE_ELECTRON <json>` on stdout (as the smoke test's fake prints them), and each line on stdin
 * is a command a user would give (`quit`, `tray <label>`, `close`), dispatched to whoever registered it.
 */
import { createInterface } from 'node:readline';

export type Report = { what: string } & Record<string, unknown>;

export function report(what: string, details: Record<string, unknown> = {}): void {
  process.stdout.write(`FAKE_ELECTRON ${JSON.stringify({ what, ...details })}\n`);
}

const commands = new Map<string, (argument: string) => void>();

/** Runs `run` for every stdin line `<name>` or `<name> <argument>`. */
export function onCommand(name: string, run: (argument: string) => void): void {
  commands.set(name, run);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const text = line.trim();
  const space = text.indexOf(' ');
  const name = space < 0 ? text : text.slice(0, space);
  const run = commands.get(name);
  if (run) run(space < 0 ? '' : text.slice(space + 1));
  else if (text !== '') report('unknownCommand', { line: text });
});
