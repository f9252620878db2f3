/** Editors for lists of strings and for maps (env, headers), with secret values masked. */
import { Eye, EyeOff, Minus, Plus } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { isReference } from './config-model';

export function StringList({
  label,
  values,
  onChange,
  invalid,
}: {
  label: string;
  values: string[];
  onChange: (values: string[] | undefined) => void;
  invalid?: boolean;
}) {
  return (
    <div className="flex flex-col gap-1">
      {values.map((value, index) => (
        <div key={index} className="flex gap-1">
          <Input
            aria-label={`${label} ${index + 1}`}
            aria-invalid={invalid}
            value={value}
            className="flex-1 font-mono text-xs"
            onChange={(event) => onChange(values.map((old, i) => (i === index ? event.target.value : old)))}
          />
          <Button
            size="icon"
            variant="ghost"
            aria-label={`Remove ${label} ${index + 1}`}
            onClick={() => {
              const next = values.filter((_, i) => i !== index);
              onChange(next.length ? next : undefined);
            }}
          >
            <Minus aria-hidden className="h-4 w-4" />
          </Button>
        </div>
      ))}
      <Button size="sm" className="self-start" onClick={() => onChange([...values, ''])}>
        <Plus aria-hidden className="h-3.5 w-3.5" /> Add {label}
      </Button>
    </div>
  );
}

function SecretInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const [shown, setShown] = useState(false);
  const reference = isReference(value);
  return (
    <div className="flex flex-1 gap-1">
      <Input
        aria-label={label}
        type={shown || reference ? 'text' : 'password'}
        autoComplete="off"
        value={value}
        className="flex-1 font-mono text-xs"
        onChange={(event) => onChange(event.target.value)}
      />
      {!reference ? (
        <Button
          size="icon"
          variant="ghost"
          aria-label={shown ? `Hide ${label}` : `Show ${label}`}
          aria-pressed={shown}
          onClick={() => setShown(!shown)}
        >
          {shown ? <EyeOff aria-hidden className="h-4 w-4" /> : <Eye aria-hidden className="h-4 w-4" />}
        </Button>
      ) : null}
    </div>
  );
}

/** Keys and values; values are masked unless they refer to the environment (`${env:NAME}`). */
export function KeyValues({
  label,
  values,
  onChange,
}: {
  label: string;
  values: Record<string, string>;
  onChange: (values: Record<string, string> | undefined) => void;
}) {
  const entries = Object.entries(values);
  const write = (next: [string, string][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <div className="flex flex-col gap-1">
      {entries.map(([key, value], index) => (
        <div key={index} className="flex gap-1">
          <Input
            aria-label={`${label} name ${index + 1}`}
            value={key}
            className="w-40 font-mono text-xs"
            onChange={(event) => write(entries.map((pair, i) => (i === index ? [event.target.value, pair[1]] : pair)))}
          />
          <SecretInput
            label={`${label} value of ${key || index + 1}`}
            value={value}
            onChange={(next) => write(entries.map((pair, i) => (i === index ? [pair[0], next] : pair)))}
          />
          <Button
            size="icon"
            variant="ghost"
            aria-label={`Remove ${label} ${key || index + 1}`}
            onClick={() => write(entries.filter((_, i) => i !== index))}
          >
            <Minus aria-hidden className="h-4 w-4" />
          </Button>
        </div>
      ))}
      <Button size="sm" className="self-start" onClick={() => write([...entries, [`NAME_${entries.length + 1}`, '']])}>
        <Plus aria-hidden className="h-3.5 w-3.5" /> Add {label}
      </Button>
      <p className="text-xs text-muted">
        Write <code>{'${env:NAME}'}</code> to take a value from MCP Orch&apos;s environment instead of storing it here.
      </p>
    </div>
  );
}
