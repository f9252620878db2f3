/**
 * The "try it" form, generated from a tool's JSON Schema: nested objects as fieldsets, arrays with
 * add and remove, enums as selects, booleans as checkboxes, defaults filled in, descriptions as
 * hints. The caller checks `unsupportedReason` first and offers the JSON editor instead.
 */
import { Minus, Plus } from 'lucide-react';
import { useId } from 'react';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { asSchema, fieldKind, initialValue, parseNumber, propertiesOf, requiredOf, type JsonSchema } from './schema-form-model';

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}

interface FieldProps {
  name: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  onChange: (value: unknown) => void;
}

function Hint({ id, schema }: { id: string; schema: JsonSchema }) {
  const text = typeof schema.description === 'string' ? schema.description : undefined;
  return text ? (
    <p id={id} className="text-xs text-muted">
      {text}
    </p>
  ) : null;
}

function Field({ name, label, schema, value, required, onChange }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const kind = fieldKind(schema);
  const hasHint = typeof schema.description === 'string';
  const caption = (
    <span className="text-xs font-medium">
      {label}
      {required ? <span className="text-bad"> *</span> : null}
    </span>
  );
  const described = hasHint ? { 'aria-describedby': hintId } : {};

  if (kind === 'object') {
    const children = propertiesOf(schema);
    const needed = requiredOf(schema);
    const record = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
    return (
      <fieldset className="flex flex-col gap-3 rounded-md border border-line p-3" data-field={name}>
        <legend className="px-1 text-xs font-semibold">
          {label}
          {required ? <span className="text-bad"> *</span> : null}
        </legend>
        <Hint id={hintId} schema={schema} />
        {children.map(([key, child]) => (
          <Field
            key={key}
            name={`${name}.${key}`}
            label={key}
            schema={child}
            value={record[key]}
            required={needed.has(key)}
            onChange={(next) => onChange({ ...record, [key]: next })}
          />
        ))}
        {children.length === 0 ? <p className="text-xs text-muted">No fields.</p> : null}
      </fieldset>
    );
  }

  if (kind === 'array') {
    const items = asSchema(schema.items);
    const list: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
    return (
      <fieldset className="flex flex-col gap-2 rounded-md border border-line p-3" data-field={name}>
        <legend className="px-1 text-xs font-semibold">
          {label} ({list.length})
        </legend>
        <Hint id={hintId} schema={schema} />
        {list.map((item, index) => (
          <div key={index} className="flex items-start gap-2">
            <div className="min-w-0 flex-1">
              <Field
                name={`${name}[${index}]`}
                label={`${label} ${index + 1}`}
                schema={items}
                value={item}
                required
                onChange={(next) => onChange(list.map((old, i) => (i === index ? next : old)))}
              />
            </div>
            <Button
              size="icon"
              variant="ghost"
              aria-label={`Remove ${label} ${index + 1}`}
              onClick={() => onChange(list.filter((_, i) => i !== index))}
            >
              <Minus aria-hidden className="h-4 w-4" />
            </Button>
          </div>
        ))}
        <Button
          size="sm"
          className="self-start"
          onClick={() => onChange([...list, initialValue(items) ?? (fieldKind(items) === 'string' ? '' : undefined)])}
        >
          <Plus aria-hidden className="h-3.5 w-3.5" /> Add {label}
        </Button>
      </fieldset>
    );
  }

  if (kind === 'boolean') {
    return (
      <div className="flex flex-col gap-1" data-field={name}>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} {...described} />
          {caption}
        </label>
        <Hint id={hintId} schema={schema} />
      </div>
    );
  }

  const input =
    kind === 'enum' ? (
      <Select
        id={id}
        value={typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''}
        onChange={(event) =>
          onChange(
            event.target.value === '' ? undefined : (schema.enum as unknown[]).find((option) => String(option) === event.target.value),
          )
        }
        {...described}
      >
        <option value="">{required ? 'Choose…' : '(not set)'}</option>
        {(schema.enum as unknown[]).map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </Select>
    ) : kind === 'number' || kind === 'integer' ? (
      <Input
        id={id}
        type="number"
        step={kind === 'integer' ? 1 : 'any'}
        value={typeof value === 'number' ? String(value) : ''}
        min={typeof schema.minimum === 'number' ? schema.minimum : undefined}
        max={typeof schema.maximum === 'number' ? schema.maximum : undefined}
        onChange={(event) => onChange(parseNumber(event.target.value, kind === 'integer'))}
        {...described}
      />
    ) : kind === 'null' ? (
      <Input id={id} value="null" readOnly {...described} />
    ) : (
      <Input
        id={id}
        value={typeof value === 'string' ? value : ''}
        placeholder={typeof schema.format === 'string' ? schema.format : undefined}
        onChange={(event) => onChange(event.target.value)}
        {...described}
      />
    );
  return (
    <div className="flex flex-col gap-1" data-field={name}>
      <label htmlFor={id}>{caption}</label>
      {input}
      <Hint id={hintId} schema={schema} />
    </div>
  );
}

export function SchemaForm({ schema, value, onChange }: SchemaFormProps) {
  const children = propertiesOf(schema);
  const needed = requiredOf(schema);
  if (children.length === 0) return <p className="text-sm text-muted">This tool takes no arguments.</p>;
  return (
    <div className="flex flex-col gap-3">
      {children.map(([key, child]) => (
        <Field
          key={key}
          name={key}
          label={key}
          schema={child}
          value={value[key]}
          required={needed.has(key)}
          onChange={(next) => onChange({ ...value, [key]: next })}
        />
      ))}
    </div>
  );
}
