import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { CLIENT_KINDS, type ClientKind } from '@shared/client-config';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { CopyButton } from '../../components/ui/copy-button';
import { HealthBadge, StateBadge } from '../../components/ui/health-badge';
import { Label, Select } from '../../components/ui/input';
import { ErrorState, Loading } from '../../components/ui/states';
import { formatBytes } from '../../lib/format';
import { useDomain, useStores } from '../../stores/context';
import type { ServerAction } from '../../stores/servers.store';
import type { ServerSummary } from '../../stores/types';
import { HealthActionButton, useHealth } from './health-action';
import { LogTail } from './log-tail';
import { SignInSection } from './sign-in';

/** A word that needs quoting in a shell is shown quoted, so the line can be pasted. */
function quote(word: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=${}]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function Controls({ server }: { server: ServerSummary }) {
  const stores = useStores();
  const pending = useDomain('servers', (state) => state.pending[server.name]);
  const disabled = server.state === 'disabled';
  const act = (action: ServerAction) =>
    stores.servers
      .getState()
      .act(server.name, action)
      .then(() => toast.success(`${server.name}: ${action} done`))
      .catch((error: Error) => toast.error(error.message));
  const busy = pending !== undefined || server.state === 'starting';
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label={`Controls of ${server.name}`}>
      <Button size="sm" disabled={busy || disabled || server.state === 'running'} onClick={() => void act('start')}>
        Start
      </Button>
      <Button
        size="sm"
        disabled={busy || disabled || server.state === 'stopped' || server.state === 'failed'}
        onClick={() => void act('stop')}
      >
        Stop
      </Button>
      <Button size="sm" disabled={busy || disabled} onClick={() => void act('restart')}>
        Restart
      </Button>
      {disabled ? (
        <Button size="sm" disabled={busy} onClick={() => void act('enable')}>
          Enable
        </Button>
      ) : (
        <Button size="sm" disabled={busy} onClick={() => void act('disable')}>
          Disable
        </Button>
      )}
      {pending ? (
        <span role="status" className="self-center text-xs text-muted">
          {pending}…
        </span>
      ) : null}
    </div>
  );
}

function ClientSnippet({ server }: { server: string }) {
  const stores = useStores();
  const [client, setClient] = useState<ClientKind>('cline');
  const [text, setText] = useState<string>();
  useEffect(() => {
    let live = true;
    stores.client.clientConfig
      .get({ client, server })
      .then((snippet) => live && setText(snippet.text))
      .catch((error: Error) => live && setText(`# ${error.message}`));
    return () => {
      live = false;
    };
  }, [stores, client, server]);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <Label htmlFor="snippet-client">Client</Label>
        <Select id="snippet-client" value={client} onChange={(event) => setClient(event.target.value as ClientKind)}>
          {CLIENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </Select>
        {text ? <CopyButton text={text} label="Copy config" /> : null}
      </div>
      <pre className="max-h-48 overflow-auto rounded-md border border-line bg-panel p-2 font-mono text-xs">{text ?? '…'}</pre>
      <p className="text-xs text-muted">Add your key as the bearer token, or let the Clients page write it for you.</p>
    </div>
  );
}

export function ServerDetailView({ server }: { server: ServerSummary }) {
  const stores = useStores();
  const detail = useDomain('servers', (state) => state.details[server.name]);
  const error = useDomain('servers', (state) => state.detailErrors[server.name]);
  const usage = useDomain('servers', (state) => state.resources[server.name]);
  const tools = useDomain('tools', (state) => state.tools);
  const toolsStatus = useDomain('tools', (state) => state.status);
  const health = useHealth(server);
  useEffect(() => {
    void stores.servers.getState().loadDetail(server.name);
    if (stores.tools.getState().status === 'idle') void stores.tools.getState().load();
  }, [stores, server.name, server.state]);
  const config = detail?.config;
  const commandLine = config?.command ? [config.command, ...config.args].map(quote).join(' ') : config?.url;
  const own = tools.filter((tool) => tool.server === server.name);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{server.name}</h2>
        <StateBadge state={server.state} />
        <HealthBadge level={health.level} />
        <span className="text-sm text-muted">{health.reason}</span>
        <HealthActionButton server={server} health={health} />
      </div>
      <Controls server={server} />
      {error ? <ErrorState message={error} /> : null}
      <SignInSection server={server} />
      <Card>
        <CardTitle>{config?.command ? 'Command line' : 'URL'}</CardTitle>
        {config ? (
          <>
            <div className="mt-2 flex items-start gap-2">
              <code className="min-w-0 flex-1 break-all rounded bg-panel p-2 font-mono text-xs">{commandLine}</code>
              {commandLine ? <CopyButton text={commandLine} /> : null}
            </div>
            <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
              <dt className="text-muted">Transport</dt>
              <dd>{config.transport}</dd>
              {config.cwd ? (
                <>
                  <dt className="text-muted">Working folder</dt>
                  <dd className="font-mono">{config.cwd}</dd>
                </>
              ) : null}
              <dt className="text-muted">Environment</dt>
              <dd className="font-mono">
                {Object.keys(config.env).length
                  ? Object.entries(config.env)
                      .map(([key, value]) => `${key}=${value}`)
                      .join('  ')
                  : '–'}
              </dd>
              <dt className="text-muted">Timeout</dt>
              <dd>{config.timeoutMs / 1000} s</dd>
              <dt className="text-muted">Session mode</dt>
              <dd>{config.sessionMode}</dd>
              <dt className="text-muted">PID · CPU · memory</dt>
              <dd className="tabular-nums">
                {server.pid ?? '–'} · {usage ? `${usage.cpuPercent.toFixed(1)} %` : '–'} · {formatBytes(usage?.memoryBytes)}
              </dd>
            </dl>
          </>
        ) : (
          <Loading />
        )}
      </Card>
      <Card>
        <CardTitle>Endpoints</CardTitle>
        <ul className="mt-2 flex flex-col gap-1 text-xs">
          {(
            [
              ['Streamable HTTP', server.endpoints.streamableHttp],
              ['SSE (legacy)', server.endpoints.sse],
            ] as const
          ).map(([label, url]) => (
            <li key={label} className="flex items-center gap-2">
              <span className="w-28 text-muted">{label}</span>
              <code className="min-w-0 flex-1 truncate font-mono">{url}</code>
              <CopyButton text={url} label="Copy URL" />
            </li>
          ))}
        </ul>
        <div className="mt-3">
          <ClientSnippet server={server.name} />
        </div>
      </Card>
      <Card id="logs">
        <CardTitle>Log</CardTitle>
        <LogTail server={server.name} />
      </Card>
      <Card>
        <CardTitle>Tools ({own.length})</CardTitle>
        {toolsStatus === 'loading' ? <Loading /> : null}
        <ul className="mt-2 flex flex-wrap gap-1.5">
          {own.map((tool) => (
            <li key={tool.name}>
              <Link
                className="rounded border border-line px-2 py-0.5 font-mono text-xs hover:bg-panel"
                to={`/tools/${encodeURIComponent(tool.server)}/${encodeURIComponent(tool.name)}`}
              >
                {tool.name}
              </Link>
            </li>
          ))}
          {toolsStatus === 'ready' && own.length === 0 ? <li className="text-xs text-muted">No tools listed (yet).</li> : null}
        </ul>
      </Card>
    </div>
  );
}
