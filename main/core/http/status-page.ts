/** A plain status page at `/` until the dashboard lands: each server, its state and its two URLs. */
import type { Supervisor } from '../supervisor/supervisor.js';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderStatusPage(supervisor: Supervisor, baseUrl: string): string {
  const rows = supervisor
    .list()
    .map((server) => {
      const status = server.status();
      const name = encodeURIComponent(server.name);
      return `<tr><td>${escape(server.name)}</td><td class="${status.state}">${status.state}</td>
<td><code>${escape(`${baseUrl}/mcp/${name}`)}</code></td><td><code>${escape(`${baseUrl}/sse/${name}`)}</code></td>
<td>${escape(status.lastError ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MCP Orch</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse}
td,th{padding:.4rem .8rem;border-bottom:1px solid #d0d7de;text-align:left}.running{color:#1a7f37}
.failed,.crashed{color:#cf222e}.backoff,.starting{color:#9a6700}@media(prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}td,th{border-color:#30363d}}</style>
</head><body><h1>MCP Orch</h1><p>Per-server endpoints (Streamable HTTP and legacy SSE):</p>
<table><thead><tr><th>Server</th><th>State</th><th>Streamable HTTP</th><th>SSE</th><th>Last error</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">No servers configured.</td></tr>'}</tbody></table></body></html>`;
}
