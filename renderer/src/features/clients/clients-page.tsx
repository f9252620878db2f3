/**
 * Clients: connect Cline, Cursor, VS Code, Claude Code, Windsurf and Claude Desktop in one click —
 * a key is made for the client and written into its config file (the change shown first, the key
 * masked; a backup kept), and the last connect can be undone. Copying the snippet stays the fallback.
 */
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import type { ClientKind } from '@shared/client-config';
import { PageHeader } from '../../components/layout/app-shell';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { CopyButton } from '../../components/ui/copy-button';
import { DiffView } from '../../components/ui/diff-view';
import { Label, Select } from '../../components/ui/input';
import { ErrorState, Loading } from '../../components/ui/states';
import { formatTime } from '../../lib/format';
import type { ConnectScope } from '../../stores/clients.store';
import { useDomain, useStores } from '../../stores/context';
import type { ClientFile } from '../../stores/types';

function Snippet({ client, scope }: { client: ClientKind; scope: ConnectScope }) {
  const stores = useStores();
  const [text, setText] = useState<string>();
  useEffect(() => {
    let live = true;
    stores.client.clientConfig
      .get({ client, ...(scope === 'aggregate' ? { aggregate: true } : {}) })
      .then((snippet) => live && setText(snippet.text))
      .catch((error: Error) => live && setText(`# ${error.message}`));
    return () => {
      live = false;
    };
  }, [stores, client, scope]);
  return (
    <details className="mt-3 text-xs">
      <summary className="cursor-pointer text-muted">Or copy the configuration and paste it yourself</summary>
      <div className="mt-2 flex items-start gap-2">
        <pre className="max-h-48 flex-1 overflow-auto rounded-md bg-panel p-2 font-mono">{text ?? '…'}</pre>
        {text ? <CopyButton text={text} /> : null}
      </div>
      <p className="mt-1 text-muted">Put an API key of yours in place of the missing token (Keys & settings).</p>
    </details>
  );
}

function ClientCard({ file }: { file: ClientFile }) {
  const stores = useStores();
  const [scope, setScope] = useState<ConnectScope>('aggregate');
  const outcome = useDomain('clients', (state) => state.outcomes[file.client]);
  const error = useDomain('clients', (state) => state.errors[file.client]);
  const pending = useDomain('clients', (state) => state.pending[file.client] === true);
  const actions = stores.clients.getState();
  return (
    <Card aria-label={file.label} data-testid={`client-${file.client}`}>
      <div className="flex flex-wrap items-center gap-2">
        <CardTitle>{file.label}</CardTitle>
        {file.connected.length > 0 ? <Badge tone="ok">connected: {file.connected.join(', ')}</Badge> : <Badge>not connected</Badge>}
        {!file.exists ? <Badge>no config file yet</Badge> : null}
      </div>
      <p className="mt-1 break-all font-mono text-xs text-muted">{file.path}</p>
      {file.error ? <ErrorState className="mt-2" message={file.error} /> : null}
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <Label htmlFor={`scope-${file.client}`}>Connect</Label>
          <Select id={`scope-${file.client}`} value={scope} onChange={(event) => setScope(event.target.value as ConnectScope)}>
            <option value="aggregate">all tools at one endpoint</option>
            <option value="servers">each server at its own endpoint</option>
          </Select>
        </div>
        <Button disabled={pending} onClick={() => void actions.preview(file.client, scope)}>
          Show the change
        </Button>
        <Button
          variant="primary"
          disabled={pending || file.error !== undefined}
          onClick={() => {
            void actions
              .connect(file.client, scope)
              .then((ok) => ok && toast.success(`${file.label} connected: restart or reload it to pick up the change`));
          }}
        >
          Connect {file.label}
        </Button>
        {file.undo ? (
          <Button
            variant="danger"
            disabled={pending}
            onClick={() => {
              void actions.undo(file.client).then((ok) => ok && toast.success(`${file.label}: put back as it was`));
            }}
          >
            Undo
          </Button>
        ) : null}
      </div>
      {file.undo ? (
        <p className="mt-2 text-xs text-muted">
          Connected {formatTime(file.undo.time)} with the key “{file.undo.keyName}”. Undo puts the file back from its backup and revokes
          that key.
        </p>
      ) : null}
      {error ? <ErrorState className="mt-2" message={error} /> : null}
      {outcome?.change ? (
        <div className="mt-3">
          <p className="mb-1 text-xs">
            {outcome.kind === 'preview'
              ? 'Connecting would make this change (a key is made for it; shown masked):'
              : `Written${outcome.backupPath ? `; the file as it was is in ${outcome.backupPath}` : ' (new file)'}; key “${outcome.keyName ?? ''}”:`}
          </p>
          <DiffView diff={outcome.change.diff} label={`Change to the ${file.label} config`} />
        </div>
      ) : null}
      {outcome?.kind === 'undone' ? (
        <p role="status" className="mt-2 text-xs text-ok">
          {outcome.message}
        </p>
      ) : null}
      <Snippet client={file.client} scope={scope} />
    </Card>
  );
}

export default function ClientsPage() {
  const stores = useStores();
  const status = useDomain('clients', (state) => state.status);
  const error = useDomain('clients', (state) => state.error);
  const clients = useDomain('clients', (state) => state.clients);
  useEffect(() => {
    void stores.clients.getState().load();
  }, [stores]);
  return (
    <>
      <PageHeader
        title="Clients"
        description="Point your MCP clients at MCP Orch in one click. Each gets a key of its own; every change can be undone."
      />
      {status === 'loading' || status === 'idle' ? <Loading /> : null}
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void stores.clients.getState().load()} /> : null}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        {clients.map((file) => (
          <ClientCard key={file.client} file={file} />
        ))}
      </div>
    </>
  );
}
