/** A server's log as it is written (live over the event stream), with search, pause and clear. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { cn } from '../../lib/cn';
import { useDomain, useStores } from '../../stores/context';
import type { LogEntry } from '../../stores/types';

export function LogTail({ server }: { server: string }) {
  const stores = useStores();
  const live = useDomain('servers', (state) => state.logs[server]);
  const [paused, setPaused] = useState<LogEntry[]>();
  const [query, setQuery] = useState('');
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    void stores.servers.getState().loadLogs(server);
  }, [stores, server]);
  const entries = paused ?? live ?? [];
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? entries.filter((entry) => entry.line.toLowerCase().includes(q)) : entries;
  }, [entries, query]);
  useEffect(() => {
    if (!paused && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, paused]);
  return (
    <div className="mt-2 flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Input
          aria-label="Search the log"
          placeholder="Search…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          className="w-56"
        />
        <Button size="sm" aria-pressed={paused !== undefined} onClick={() => setPaused(paused ? undefined : [...(live ?? [])])}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button
          size="sm"
          onClick={() => {
            stores.servers.getState().clearLogs(server);
            if (paused) setPaused([]);
          }}
        >
          Clear
        </Button>
        <span className="text-xs text-muted" role="status">
          {shown.length} of {entries.length} lines{paused ? ' · paused' : ' · live'}
        </span>
      </div>
      <pre
        ref={box}
        tabIndex={0}
        aria-label={`Log of ${server}`}
        className="h-64 overflow-auto rounded-md border border-line bg-panel p-2 font-mono text-xs"
      >
        {shown.length === 0 ? <span className="text-muted">{live === undefined ? 'Loading…' : 'No log lines.'}</span> : null}
        {shown.map((entry, index) => (
          <div
            key={`${entry.time}-${index}`}
            className={cn(entry.stream === 'system' && 'text-accent', entry.stream === 'stdout' && 'text-warn')}
          >
            <span className="text-muted">{new Date(entry.time).toLocaleTimeString()} </span>
            {entry.line}
          </div>
        ))}
      </pre>
    </div>
  );
}
