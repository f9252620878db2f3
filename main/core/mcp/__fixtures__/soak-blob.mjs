// The text the soak fixture's `blob` tool returns, shared by the fixture and the benchmark that
// checks it: `<seed>|` and then a repeated 64-character block, `bytes` characters in all.
const FILLER_BLOCK = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

/** The text of `blob {bytes, seed}`: what a client must receive, character for character. */
export function blobText(bytes, seed) {
  const head = `${seed}|`;
  if (bytes <= head.length) return head.slice(0, bytes);
  const rest = bytes - head.length;
  return head + FILLER_BLOCK.repeat(Math.ceil(rest / FILLER_BLOCK.length)).slice(0, rest);
}
