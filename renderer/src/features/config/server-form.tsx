/** The form of one server entry; every field edits the draft text at its JSON path and shows the problems found there. */
import type { ReactNode } from 'react';
import { Input, Label, Select } from '../../components/ui/input';
import { cn } from '../../lib/cn';
import type { Issue } from '../../stores/types';
import { fieldPath, issuesAt, transportOfEntry, type Entry } from './config-model';
import { KeyValues, StringList } from './fields';

export interface ServerFormProps {
  name: string;
  entry: Entry;
  issues: readonly Issue[];
  /** Sets one field of the entry (`undefined` removes it). */
  onField: (key: string, value: unknown) => void;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const stringMap = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter((pair) => typeof pair[1] === 'string'))
    : {};

function Row({
  server,
  field,
  label,
  issues,
  children,
  htmlFor,
}: {
  server: string;
  field: string;
  label: string;
  issues: readonly Issue[];
  children: ReactNode;
  htmlFor?: string;
}) {
  const path = fieldPath(server, field);
  const mine = issuesAt(issues, path);
  return (
    <div data-path={path} className={cn('flex flex-col gap-1 rounded-md p-1', mine.length > 0 && 'field-error')}>
      <Label htmlFor={htmlFor}>{label}</Label>
      {children}
      {mine.map((issue, index) => (
        <p key={index} role="alert" className="text-xs text-bad">
          <code>{issue.path}</code>: {issue.message}
        </p>
      ))}
    </div>
  );
}

export function ServerForm({ name, entry, issues, onField }: ServerFormProps) {
  const transport = transportOfEntry(entry);
  const id = (field: string) => `server-${name}-${field}`;
  const invalid = (field: string) => issuesAt(issues, fieldPath(name, field)).length > 0;
  const transportKey = typeof entry.type === 'string' && entry.transportType === undefined ? 'type' : 'transportType';
  const text = (field: string, label: string, placeholder?: string) => (
    <Row server={name} field={field} label={label} issues={issues} htmlFor={id(field)}>
      <Input
        id={id(field)}
        aria-invalid={invalid(field)}
        placeholder={placeholder}
        value={typeof entry[field] === 'string' ? entry[field] : ''}
        className="font-mono text-xs"
        onChange={(event) => onField(field, event.target.value || undefined)}
      />
    </Row>
  );
  return (
    <form aria-label={`Server ${name}`} className="flex flex-col gap-3" onSubmit={(event) => event.preventDefault()}>
      <Row server={name} field={transportKey} label="Transport" issues={issues} htmlFor={id('transport')}>
        <Select id={id('transport')} value={transport} onChange={(event) => onField(transportKey, event.target.value)}>
          <option value="stdio">stdio (a local command)</option>
          <option value="streamableHttp">Streamable HTTP (a URL)</option>
          <option value="sse">SSE (a URL, legacy)</option>
        </Select>
      </Row>
      {transport === 'stdio' ? (
        <>
          {text('command', 'Command', 'npx')}
          <Row server={name} field="args" label="Arguments" issues={issues}>
            <StringList
              label="argument"
              values={strings(entry.args)}
              invalid={invalid('args')}
              onChange={(values) => onField('args', values)}
            />
          </Row>
          <Row server={name} field="env" label="Environment" issues={issues}>
            <KeyValues label="variable" values={stringMap(entry.env)} onChange={(values) => onField('env', values)} />
          </Row>
          {text('cwd', 'Working folder', '~/work')}
        </>
      ) : (
        <>
          {text('url', 'URL', 'https://example.com/mcp')}
          <Row server={name} field="headers" label="Headers" issues={issues}>
            <KeyValues label="header" values={stringMap(entry.headers)} onChange={(values) => onField('headers', values)} />
          </Row>
        </>
      )}
      <div className="grid grid-cols-2 gap-3">
        <Row server={name} field="timeout" label="Timeout per call (seconds)" issues={issues} htmlFor={id('timeout')}>
          <Input
            id={id('timeout')}
            type="number"
            min={1}
            aria-invalid={invalid('timeout')}
            value={typeof entry.timeout === 'number' ? String(entry.timeout) : ''}
            placeholder="60"
            onChange={(event) => onField('timeout', event.target.value === '' ? undefined : Number(event.target.value))}
          />
        </Row>
        <Row server={name} field="sessionMode" label="Sessions" issues={issues} htmlFor={id('sessionMode')}>
          <Select
            id={id('sessionMode')}
            value={typeof entry.sessionMode === 'string' ? entry.sessionMode : 'shared'}
            onChange={(event) => onField('sessionMode', event.target.value === 'shared' ? undefined : event.target.value)}
          >
            <option value="shared">shared: one upstream for every client</option>
            <option value="per-session">per-session: one child per client session</option>
          </Select>
        </Row>
      </div>
      <Row server={name} field="autoApprove" label="Auto-approved tools (batch mode runs them without asking)" issues={issues}>
        <StringList
          label="tool"
          values={strings(entry.autoApprove)}
          invalid={invalid('autoApprove')}
          onChange={(values) => onField('autoApprove', values)}
        />
      </Row>
      <Row server={name} field="disabled" label="State" issues={issues}>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={entry.disabled === true}
            onChange={(event) => onField('disabled', event.target.checked ? true : undefined)}
          />
          Disabled (not started, not served)
        </label>
      </Row>
    </form>
  );
}
