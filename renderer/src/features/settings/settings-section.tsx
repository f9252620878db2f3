/** MCP Orch's own settings (`orch` in mcp-config.json), saved through the same validation and hot reload as the Config page. */
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { Input, Label } from '../../components/ui/input';
import { ErrorState, Loading } from '../../components/ui/states';
import { useDomain, useStores } from '../../stores/context';
import { setIn } from '../config/config-model';

interface Form {
  port: string;
  host: string;
  namespaceSeparator: string;
  approveAll: boolean;
  maxResultChars: string;
  perServerConcurrency: string;
}

export function SettingsSection() {
  const stores = useStores();
  const status = useDomain('config', (state) => state.status);
  const error = useDomain('config', (state) => state.error);
  const saved = useDomain('config', (state) => state.saved);
  const [form, setForm] = useState<Form>();
  // A reload of the file (this page's save, or an edit elsewhere) refreshes the form only while
  // the user has not started changing it.
  const [edited, setEdited] = useState(false);
  const edit = (next: Form) => {
    setEdited(true);
    setForm(next);
  };
  useEffect(() => {
    if (stores.config.getState().status === 'idle') void stores.config.getState().load();
  }, [stores]);
  useEffect(() => {
    const orch = saved?.parsed?.orch;
    if (!saved || edited) return;
    setForm({
      port: orch?.port !== undefined ? String(orch.port) : '',
      host: orch?.host ?? '',
      namespaceSeparator: orch?.namespaceSeparator ?? '',
      approveAll: orch?.batch?.approveAll === true,
      maxResultChars: orch?.batch?.maxResultChars !== undefined ? String(orch.batch.maxResultChars) : '',
      perServerConcurrency: orch?.batch?.perServerConcurrency !== undefined ? String(orch.batch.perServerConcurrency) : '',
    });
  }, [saved, edited]);
  const save = async () => {
    if (!saved || !form) return;
    const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
    let text = saved.text;
    text = setIn(text, ['orch', 'port'], number(form.port));
    text = setIn(text, ['orch', 'host'], form.host.trim() || undefined);
    text = setIn(text, ['orch', 'namespaceSeparator'], form.namespaceSeparator || undefined);
    text = setIn(text, ['orch', 'batch', 'approveAll'], form.approveAll ? true : undefined);
    text = setIn(text, ['orch', 'batch', 'maxResultChars'], number(form.maxResultChars));
    text = setIn(text, ['orch', 'batch', 'perServerConcurrency'], number(form.perServerConcurrency));
    stores.config.getState().setDraft(text);
    const outcome = await stores.config.getState().apply();
    if (outcome.ok) setEdited(false);
    if (outcome.ok) toast.success(outcome.message);
    else toast.error(outcome.message);
  };
  const field = (key: Exclude<keyof Form, 'approveAll'>, label: string, placeholder: string, type = 'text') => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={`setting-${key}`}>{label}</Label>
      <Input
        id={`setting-${key}`}
        type={type}
        value={form?.[key] ?? ''}
        placeholder={placeholder}
        onChange={(event) => form && edit({ ...form, [key]: event.target.value })}
      />
    </div>
  );
  return (
    <section aria-labelledby="settings-heading" className="mt-8">
      <h2 id="settings-heading" className="mb-2 text-base font-semibold">
        Settings
      </h2>
      {status === 'loading' ? <Loading /> : null}
      {status === 'error' ? <ErrorState message={error ?? 'failed'} /> : null}
      {form ? (
        <Card>
          <form
            className="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <CardTitle>Network (takes effect after a restart of MCP Orch)</CardTitle>
            <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
              {field('port', 'Port', '8000', 'number')}
              {field('host', 'Host', '127.0.0.1')}
              {field('namespaceSeparator', 'Namespace separator (aggregated tool names)', '__')}
            </div>
            <CardTitle>Batch mode</CardTitle>
            <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={form.approveAll}
                  onChange={(event) => edit({ ...form, approveAll: event.target.checked })}
                />{' '}
                Run every tool without asking for approval
              </label>
              {field('maxResultChars', 'Longest result text per task (characters)', '2000', 'number')}
              {field('perServerConcurrency', 'Most tasks at once per server', 'no limit', 'number')}
            </div>
            <Button type="submit" variant="primary" className="self-start">
              Save settings
            </Button>
          </form>
        </Card>
      ) : null}
    </section>
  );
}
