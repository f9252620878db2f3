/**
 * Stands in for codemirror-json-schema's markdown renderer (see vite.config.ts): it would bring
 * markdown-it and the shiki highlighter (hundreds of KB, and a WASM engine the page's CSP does not
 * allow) only to format schema descriptions in tooltips. Here they are shown as escaped text.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function renderMarkdown(markdown: string): string {
  return markdown.replace(/[&<>"']/g, (character) => ESCAPES[character]!).replace(/`([^`]+)`/g, '<code>$1</code>');
}
