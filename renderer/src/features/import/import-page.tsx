/** Import: servers from the configs of the other MCP clients on this machine, previewed and merged into mcp-config.json. */
import { useEffect } from 'react';
import { toast } from 'sonner';
import { PageHeader } from '../../components/layout/app-shell';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { DiffView } from '../../components/ui/diff-view';
import { Input } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { useDomain, useStores } from '../../stores/context';
import { choiceKey } from '../../stores/import.store';

export default function ImportPage() {
  const stores = useStores();
  const status = useDomain('imports', (state) => state.status);
  const error = useDomain('imports', (state) => state.error);
  const sources = useDomain('imports', (state) => state.sources);
  const chosen = useDomain('imports', (state) => state.chosen);
  const preview = useDomain('imports', (state) => state.preview);
  const result = useDomain('imports', (state) => state.result);
  const applyError = useDomain('imports', (state) => state.applyError);
  const busy = useDomain('imports', (state) => state.busy);
  useEffect(() => {
    void stores.imports.getState().scan();
  }, [stores]);
  const count = Object.values(chosen).filter(Boolean).length;
  const clashes = new Set(preview?.clashes.map((clash) => `${clash.client}\u0000${clash.name}`) ?? []);
  const actions = stores.imports.getState();
  return (
    <>
      <PageHeader
        title="Import"
        description="Servers you already set up in Claude Desktop, Cline, Cursor, VS Code, Windsurf or Claude Code, found on this machine. Choose some, check the merge, import."
        actions={
          <Button onClick={() => void actions.scan()} disabled={status === 'loading'}>
            Scan again
          </Button>
        }
      />
      {status === 'loading' ? <Loading label="Looking for client configs…" /> : null}
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void actions.scan()} /> : null}
      {result ? (
        <p role="status" className="mb-3 rounded-md border border-ok/50 p-3 text-sm">
          Imported {result.added.join(', ')}: saved to mcp-config.json and started.
        </p>
      ) : null}
      {status === 'ready' && sources.length === 0 ? (
        <Empty title="No client configs found">
          None of Claude Desktop, Cline, Cursor, VS Code, Windsurf or Claude Code has a config file on this machine.
        </Empty>
      ) : null}
      <div className="flex flex-col gap-4">
        {sources.map((source) => (
          <Card key={source.client} role="region" aria-label={source.label}>
            <CardTitle>
              {source.label} <span className="font-mono text-xs font-normal text-muted">{source.path}</span>
            </CardTitle>
            {source.error ? <ErrorState className="mt-2" message={source.error} /> : null}
            {!source.error && source.servers.length === 0 ? <p className="mt-2 text-sm text-muted">No servers in this file.</p> : null}
            {source.servers.length > 0 ? (
              <div className="mt-2">
                <Table aria-label={`Servers in ${source.label}`}>
                  <thead>
                    <tr>
                      <Th>Import</Th>
                      <Th>Name</Th>
                      <Th>Runs</Th>
                      <Th>Environment / headers</Th>
                      <Th>Name in MCP Orch</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {source.servers.map((server) => {
                      const key = choiceKey(source.client, server.name);
                      const choice = chosen[key];
                      const target = choice?.as ?? server.name;
                      const clash = clashes.has(`${source.client}\u0000${target}`) || (server.clash && target === server.name);
                      return (
                        <tr key={server.name}>
                          <Td>
                            <input
                              type="checkbox"
                              aria-label={`Import ${server.name} from ${source.label}`}
                              disabled={server.self}
                              checked={choice !== undefined}
                              onChange={(event) => actions.toggle(source.client, server.name, event.target.checked)}
                            />
                          </Td>
                          <Td className="font-medium">
                            {server.name}
                            {server.self ? <Badge className="ml-2">this MCP Orch</Badge> : null}
                          </Td>
                          <Td className="max-w-80 break-all font-mono text-xs">
                            {server.command ? [server.command, ...server.args].join(' ') : `${server.transport} ${server.url ?? ''}`}
                          </Td>
                          <Td className="text-xs">{[...server.envKeys, ...server.headerKeys].join(', ') || '–'}</Td>
                          <Td>
                            {choice ? (
                              <Input
                                aria-label={`Name for ${server.name}`}
                                aria-invalid={clash}
                                value={target}
                                onChange={(event) => actions.rename(source.client, server.name, event.target.value)}
                                className="w-44"
                              />
                            ) : null}
                            {!choice && server.clash ? <Badge>already in mcp-config.json</Badge> : null}
                            {choice && clash ? (
                              <p className="mt-1 text-xs text-bad" role="alert">
                                mcp-config.json already has a server named “{target}”: rename it here or leave it out.
                              </p>
                            ) : null}
                          </Td>
                        </tr>
                      );
                    })}
                  </tbody>
                </Table>
              </div>
            ) : null}
          </Card>
        ))}
      </div>
      {sources.length > 0 ? (
        <div className="sticky bottom-0 mt-4 flex flex-col gap-3 border-t border-line bg-bg py-3">
          <div className="flex gap-2">
            <Button disabled={count === 0 || busy} onClick={() => void actions.run(true)}>
              Preview the merge ({count})
            </Button>
            <Button
              variant="primary"
              disabled={count === 0 || busy}
              onClick={() => {
                void actions.run(false).then((ok) => {
                  if (ok) toast.success('Imported into mcp-config.json');
                });
              }}
            >
              Import {count} server{count === 1 ? '' : 's'}
            </Button>
          </div>
          {applyError ? <ErrorState message={applyError} /> : null}
          {preview ? (
            <div>
              {preview.clashes.length > 0 ? (
                <p className="mb-2 text-sm text-bad">
                  Name clashes: {preview.clashes.map((clash) => clash.name).join(', ')}. Rename them above before importing.
                </p>
              ) : null}
              {preview.issues.length > 0 ? (
                <p className="mb-2 text-sm text-bad">
                  After the merge the file would be invalid: {preview.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}
                </p>
              ) : null}
              <DiffView diff={preview.diff} label="The merge into mcp-config.json" />
            </div>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
