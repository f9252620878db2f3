/** One tool: its schema, its switch, and "try it" — a form from its schema, or a JSON editor where a form cannot say it. */
import { useMemo, useState } from 'react';
import { toast } from 'sonner';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { JsonEditor } from '../../components/json-editor';
import { Switch } from '../../components/ui/switch';
import { formatMs, formatTime } from '../../lib/format';
import { useDomain, useStores } from '../../stores/context';
import { toolKey, type RecentCall } from '../../stores/tools.store';
import type { ToolItem } from '../../stores/types';
import { SchemaForm } from './schema-form';
import { initialValue, pruneValue, unsupportedReason } from './schema-form-model';
import { ToolResult } from './tool-result';

function parseArgs(text: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : 'the arguments must be a JSON object';
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
}

export function ToolDetail({ tool }: { tool: ToolItem }) {
  const stores = useStores();
  const pending = useDomain('tools', (state) => state.pending[toolKey(tool.server, tool.name)] === true);
  const recent = useDomain('tools', (state) => state.recent);
  const schema = tool.inputSchema;
  const reason = useMemo(() => unsupportedReason(schema), [schema]);
  const [mode, setMode] = useState<'form' | 'json'>(reason ? 'json' : 'form');
  const [formValue, setFormValue] = useState(() => (initialValue(schema) ?? {}) as Record<string, unknown>);
  const [text, setText] = useState(() => JSON.stringify(pruneValue(initialValue(schema) ?? {}, schema) ?? {}, null, 2));
  const [calling, setCalling] = useState(false);
  const [last, setLast] = useState<RecentCall>();
  const mine = recent.filter((call) => call.server === tool.server && call.tool === tool.name);

  const run = async (args: Record<string, unknown>) => {
    setCalling(true);
    try {
      setLast(await stores.tools.getState().call(tool.server, tool.name, args));
    } finally {
      setCalling(false);
    }
  };
  const submit = () => {
    if (mode === 'form') return run((pruneValue(formValue, schema) ?? {}) as Record<string, unknown>);
    const parsed = parseArgs(text);
    if (typeof parsed === 'string') {
      toast.error(parsed);
      return Promise.resolve();
    }
    return run(parsed);
  };
  const switchMode = (next: 'form' | 'json') => {
    if (next === 'json') setText(JSON.stringify(pruneValue(formValue, schema) ?? {}, null, 2));
    else {
      const parsed = parseArgs(text);
      if (typeof parsed !== 'string') setFormValue(parsed);
    }
    setMode(next);
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-mono text-lg font-semibold">{tool.name}</h2>
        <Badge>{tool.server}</Badge>
        {tool.aggregatedName ? <code className="text-xs text-muted">{tool.aggregatedName}</code> : null}
        {tool.cached ? <Badge tone="warn">from cache: server not running</Badge> : null}
        <label className="ml-auto flex items-center gap-2 text-sm">
          <Switch
            checked={tool.enabled}
            disabled={pending}
            aria-label={`${tool.name} enabled`}
            onCheckedChange={(on) => {
              stores.tools
                .getState()
                .setEnabled(tool.server, tool.name, on)
                .then(() => toast.success(`${tool.name} ${on ? 'enabled' : 'disabled'}`))
                .catch((error: Error) => toast.error(error.message));
            }}
          />
          {tool.enabled ? 'Enabled' : 'Disabled'}
        </label>
      </div>
      {tool.description ? <p className="whitespace-pre-wrap text-sm text-muted">{tool.description}</p> : null}
      <Card>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <CardTitle>Try it</CardTitle>
          <div className="flex gap-1" role="group" aria-label="How to enter the arguments">
            <Button
              size="sm"
              variant={mode === 'form' ? 'primary' : 'secondary'}
              aria-pressed={mode === 'form'}
              disabled={reason !== undefined}
              onClick={() => switchMode('form')}
            >
              Form
            </Button>
            <Button
              size="sm"
              variant={mode === 'json' ? 'primary' : 'secondary'}
              aria-pressed={mode === 'json'}
              onClick={() => switchMode('json')}
            >
              JSON
            </Button>
          </div>
        </div>
        {reason ? (
          <p className="mb-2 text-xs text-muted">
            The form cannot express this schema ({reason}): edit the arguments as JSON, checked against the schema.
          </p>
        ) : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          {mode === 'form' ? (
            <SchemaForm schema={schema} value={formValue} onChange={setFormValue} />
          ) : (
            <JsonEditor label={`Arguments of ${tool.name}`} value={text} onChange={setText} schema={schema} minHeight="8rem" />
          )}
          <Button type="submit" variant="primary" className="mt-3" disabled={calling || !tool.enabled}>
            {calling ? 'Calling…' : `Call ${tool.name}`}
          </Button>
          {!tool.enabled ? <span className="ml-2 text-xs text-muted">Enable the tool to call it.</span> : null}
        </form>
      </Card>
      {last ? (
        <Card aria-live="polite">
          <CardTitle>Result {last.result ? `· ${formatMs(last.result.durationMs)}` : ''}</CardTitle>
          <ToolResult call={last} />
        </Card>
      ) : null}
      {mine.length > 0 ? (
        <Card>
          <CardTitle>Recent calls</CardTitle>
          <ul className="mt-2 flex flex-col gap-1">
            {mine.map((call) => (
              <li key={call.id} className="flex items-center gap-2 text-xs">
                <span className="text-muted">{formatTime(call.time)}</span>
                <code className="min-w-0 flex-1 truncate">{JSON.stringify(call.arguments)}</code>
                <Badge tone={call.error || call.result?.result.isError ? 'bad' : 'ok'}>
                  {call.error || call.result?.result.isError ? 'error' : 'ok'}
                </Badge>
                <Button
                  size="sm"
                  disabled={calling}
                  onClick={() => void run(call.arguments)}
                  aria-label={`Run again with ${JSON.stringify(call.arguments)}`}
                >
                  Run again
                </Button>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Input schema</CardTitle>
        <pre tabIndex={0} aria-label="Input schema" className="mt-2 max-h-80 overflow-auto rounded-md bg-panel p-2 font-mono text-xs">
          {JSON.stringify(schema, null, 2)}
        </pre>
        {tool.outputSchema ? (
          <>
            <CardTitle className="mt-3">Output schema</CardTitle>
            <pre tabIndex={0} aria-label="Output schema" className="mt-2 max-h-60 overflow-auto rounded-md bg-panel p-2 font-mono text-xs">
              {JSON.stringify(tool.outputSchema, null, 2)}
            </pre>
          </>
        ) : null}
      </Card>
    </div>
  );
}
