/**
 * Config: mcp-config.json as a form per server beside the raw JSON editor, both editing one draft.
 * Review validates the draft and shows the change as a diff; Apply saves it (atomically, with a
 * backup) and hot reload applies it. A problem's JSON path lights up the field it names.
 */
import { configFileSchema } from '@shared/config';
import { createTwoFilesPatch } from 'diff';
import { Plus, Trash2 } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { JsonEditor } from '../../components/json-editor';
import { PageHeader } from '../../components/layout/app-shell';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { DiffView } from '../../components/ui/diff-view';
import { Input } from '../../components/ui/input';
import { ErrorState, Loading } from '../../components/ui/states';
import { cn } from '../../lib/cn';
import { useDomain, useStores } from '../../stores/context';
import { issuesAt, fieldPath, parseDraft, serverOfIssue, serversOf, setIn } from './config-model';
import { ServerForm } from './server-form';

const CONFIG_SCHEMA = z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

export default function ConfigPage() {
  const stores = useStores();
  const [search, setSearch] = useSearchParams();
  const status = useDomain('config', (state) => state.status);
  const error = useDomain('config', (state) => state.error);
  const saved = useDomain('config', (state) => state.saved);
  const draft = useDomain('config', (state) => state.draft);
  const issues = useDomain('config', (state) => state.issues);
  const busy = useDomain('config', (state) => state.busy);
  const changedOnDisk = useDomain('config', (state) => state.changedOnDisk);
  const [reviewing, setReviewing] = useState(false);
  const [newName, setNewName] = useState('');
  useEffect(() => {
    void stores.config.getState().load();
  }, [stores]);

  const file = useMemo(() => parseDraft(draft), [draft]);
  const servers = useMemo(() => serversOf(file), [file]);
  const names = servers.map(([name]) => name);
  const wanted = search.get('server') ?? undefined;
  const selected = wanted !== undefined && names.includes(wanted) ? wanted : names[0];
  const entry = servers.find(([name]) => name === selected)?.[1];
  const dirty = saved !== undefined && draft !== saved.text;
  const diff = useMemo(
    () => (saved ? createTwoFilesPatch(saved.path, saved.path, saved.text, draft, 'saved', 'draft', { context: 3 }) : ''),
    [saved, draft],
  );
  const setDraft = (text: string) => {
    stores.config.getState().setDraft(text);
    setReviewing(false);
  };
  const select = (name: string) => setSearch({ server: name }, { replace: true });

  if (status === 'loading' || status === 'idle') return <Loading label="Loading the configuration…" />;
  if (status === 'error') return <ErrorState message={error ?? 'failed'} onRetry={() => void stores.config.getState().load()} />;

  const review = async () => {
    const valid = await stores.config.getState().validate();
    setReviewing(valid);
    if (!valid) {
      const first = stores.config.getState().issues[0];
      const server = first && serverOfIssue(first.path, names);
      if (server) select(server);
      toast.error(`The configuration has ${stores.config.getState().issues.length} problem(s): see the fields marked in red`);
    }
  };
  const apply = async () => {
    const outcome = await stores.config.getState().apply();
    setReviewing(false);
    if (outcome.ok) toast.success(outcome.message);
    else toast.error(outcome.message);
  };

  return (
    <>
      <PageHeader
        title="Config"
        description={
          <>
            <code>{saved?.path}</code> — edit a server in the form or the whole file as JSON. Servers from other clients:{' '}
            <Link className="text-accent underline" to="/import">
              Import
            </Link>
            .
          </>
        }
        actions={
          <>
            <Button disabled={!dirty || busy} onClick={() => setDraft(saved?.text ?? '')}>
              Discard changes
            </Button>
            <Button variant="primary" disabled={!dirty || busy} onClick={() => void review()}>
              Review changes
            </Button>
          </>
        }
      />
      {changedOnDisk ? (
        <ErrorState
          className="mb-3"
          message="The file changed on disk since you started editing. Applying would be refused: discard your changes to see the new file."
        />
      ) : null}
      {issues.length > 0 ? (
        <Card className="mb-4 border-bad/50" role="alert" aria-label="Problems">
          <CardTitle>Problems ({issues.length})</CardTitle>
          <ul className="mt-1 list-disc pl-5 text-xs">
            {issues.map((issue, index) => {
              const server = serverOfIssue(issue.path, names);
              return (
                <li key={index}>
                  {server ? (
                    <button type="button" className="text-accent underline" onClick={() => select(server)}>
                      {issue.path}
                    </button>
                  ) : (
                    <code>{issue.path}</code>
                  )}
                  : {issue.message}
                </li>
              );
            })}
          </ul>
        </Card>
      ) : null}
      {reviewing ? (
        <Card className="mb-4" role="region" aria-label="Review">
          <CardTitle>The change to {saved?.path}</CardTitle>
          <DiffView className="mt-2" diff={diff} label="Diff of the configuration" />
          <div className="mt-3 flex gap-2">
            <Button variant="primary" disabled={busy} onClick={() => void apply()}>
              Apply
            </Button>
            <Button onClick={() => setReviewing(false)}>Keep editing</Button>
          </div>
        </Card>
      ) : null}
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <Card>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <CardTitle>Servers</CardTitle>
            <ul className="flex flex-wrap gap-1" aria-label="Servers in the file">
              {names.map((name) => (
                <li key={name}>
                  <Button
                    size="sm"
                    variant={name === selected ? 'primary' : 'secondary'}
                    aria-pressed={name === selected}
                    className={cn(issuesAt(issues, fieldPath(name)).length > 0 && 'field-error')}
                    onClick={() => select(name)}
                  >
                    {name}
                  </Button>
                </li>
              ))}
            </ul>
          </div>
          {file === undefined ? <p className="text-sm text-bad">The JSON does not parse: fix it in the editor beside.</p> : null}
          {selected && entry ? (
            <>
              <ServerForm
                key={selected}
                name={selected}
                entry={entry}
                issues={issues}
                onField={(key, value) => setDraft(setIn(draft, ['mcpServers', selected, key], value))}
              />
              <Button
                variant="danger"
                size="sm"
                className="mt-4"
                onClick={() => setDraft(setIn(draft, ['mcpServers', selected], undefined))}
              >
                <Trash2 aria-hidden className="h-3.5 w-3.5" /> Remove {selected}
              </Button>
            </>
          ) : null}
          <form
            className="mt-5 flex gap-2 border-t border-line pt-4"
            onSubmit={(event) => {
              event.preventDefault();
              const name = newName.trim();
              if (!name || names.includes(name)) return;
              setDraft(setIn(draft, ['mcpServers', name], { command: 'npx', args: [] }));
              setNewName('');
              select(name);
            }}
          >
            <Input
              aria-label="New server name"
              placeholder="new-server"
              value={newName}
              onChange={(event) => setNewName(event.target.value)}
            />
            <Button type="submit" disabled={!newName.trim() || names.includes(newName.trim())}>
              <Plus aria-hidden className="h-3.5 w-3.5" /> Add server
            </Button>
          </form>
        </Card>
        <Card>
          <CardTitle className="mb-2">mcp-config.json</CardTitle>
          <JsonEditor label="mcp-config.json" value={draft} onChange={setDraft} schema={CONFIG_SCHEMA} minHeight="28rem" />
        </Card>
      </div>
    </>
  );
}
