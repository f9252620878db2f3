import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaForm } from './schema-form';
import { initialValue, pruneValue, unsupportedReason, type JsonSchema } from './schema-form-model';

afterEach(cleanup);

/** The form with its value held, as the page holds it; the last value is exposed for checks. */
function Harness({ schema, seen }: { schema: JsonSchema; seen: { value?: Record<string, unknown> } }) {
  const [value, setValue] = useState(() => (initialValue(schema) ?? {}) as Record<string, unknown>);
  seen.value = value;
  return <SchemaForm schema={schema} value={value} onChange={setValue} />;
}

const NESTED: JsonSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', description: 'What it is called' },
    owner: {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
      required: ['name'],
    },
  },
  required: ['title'],
};

const ARRAYS: JsonSchema = {
  type: 'object',
  properties: {
    tags: { type: 'array', items: { type: 'string' } },
    points: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } } },
  },
};

const ENUMS: JsonSchema = {
  type: 'object',
  properties: {
    level: { type: 'string', enum: ['low', 'high'], default: 'low' },
    size: { type: 'number', enum: [1, 2, 3] },
    verbose: { type: 'boolean', default: true },
  },
};

describe('the schema form', () => {
  it('builds nested objects, with descriptions as hints and required fields marked', async () => {
    const seen: { value?: Record<string, unknown> } = {};
    render(<Harness schema={NESTED} seen={seen} />);
    const title = screen.getByLabelText(/^title/);
    expect(screen.getByText('What it is called').id).toBe(title.getAttribute('aria-describedby'));
    expect(title.closest('div')?.querySelector('label')?.textContent).toBe('title *');
    const owner = screen.getByRole('group', { name: 'owner' });
    await userEvent.type(title, 'Report');
    await userEvent.type(within(owner).getByLabelText(/^name/), 'Ada');
    await userEvent.type(within(owner).getByLabelText(/^age/), '36');
    expect(seen.value).toEqual({ title: 'Report', owner: { name: 'Ada', age: 36 } });
  });

  it('adds and removes array items, of strings and of objects', async () => {
    const seen: { value?: Record<string, unknown> } = {};
    render(<Harness schema={ARRAYS} seen={seen} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add tags' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add tags' }));
    await userEvent.type(screen.getByLabelText(/^tags 1/), 'red');
    await userEvent.type(screen.getByLabelText(/^tags 2/), 'blue');
    await userEvent.click(screen.getByRole('button', { name: 'Remove tags 1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add points' }));
    const point = screen.getByRole('group', { name: /^points 1/ });
    await userEvent.type(within(point).getByLabelText(/^x/), '1.5');
    await userEvent.type(within(point).getByLabelText(/^y/), '-2');
    expect(seen.value).toEqual({ tags: ['blue'], points: [{ x: 1.5, y: -2 }] });
    expect(screen.getByRole('group', { name: 'tags (1)' })).toBeTruthy();
  });

  it('offers enums as choices and starts from the defaults', async () => {
    const seen: { value?: Record<string, unknown> } = {};
    render(<Harness schema={ENUMS} seen={seen} />);
    expect(seen.value).toEqual({ level: 'low', verbose: true });
    const level = screen.getByLabelText(/^level/);
    expect(
      within(level)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['(not set)', 'low', 'high']);
    await userEvent.selectOptions(level, 'high');
    await userEvent.selectOptions(screen.getByLabelText(/^size/), '3');
    await userEvent.click(screen.getByLabelText(/^verbose/));
    expect(seen.value).toEqual({ level: 'high', size: 3, verbose: false });
  });

  it('says when a tool takes no arguments', () => {
    render(<SchemaForm schema={{ type: 'object', properties: {} }} value={{}} onChange={() => undefined} />);
    expect(screen.getByText('This tool takes no arguments.')).toBeTruthy();
  });
});

describe('what the form can express', () => {
  it('leaves unions, $ref, tuples, maps and untyped parts to the JSON editor, naming where', () => {
    expect(unsupportedReason({ type: 'object', properties: { v: { anyOf: [{ type: 'string' }, { type: 'number' }] } } })).toBe(
      '(arguments).v uses anyOf',
    );
    expect(unsupportedReason({ type: 'object', properties: { v: { oneOf: [{ type: 'string' }] } } })).toBe('(arguments).v uses oneOf');
    expect(unsupportedReason({ type: 'object', properties: { at: { $ref: '#/$defs/point' } } })).toBe('(arguments).at uses $ref');
    expect(unsupportedReason({ type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }] } } })).toBe(
      '(arguments).pair is a tuple',
    );
    expect(unsupportedReason({ type: 'object', properties: { env: { type: 'object', additionalProperties: { type: 'string' } } } })).toBe(
      '(arguments).env is a map of free keys',
    );
    expect(unsupportedReason({ type: 'object', properties: { any: {} } })).toBe('(arguments).any has no single type');
    expect(
      unsupportedReason({
        type: 'object',
        properties: { list: { type: 'array', items: { type: 'object', properties: { v: { anyOf: [] } } } } },
      }),
    ).toBe('(arguments).list[].v uses anyOf');
  });

  it('takes nested objects, arrays, enums and nullable types', () => {
    for (const schema of [NESTED, ARRAYS, ENUMS, { type: 'object', properties: { note: { type: ['string', 'null'] } } }])
      expect(unsupportedReason(schema)).toBeUndefined();
  });

  it('sends no empty optional fields, so the server defaults apply', () => {
    expect(pruneValue({ title: '', owner: { name: '', age: undefined }, extra: undefined }, NESTED)).toEqual({
      title: '',
      owner: { name: '' },
    });
    expect(pruneValue({ tags: [], points: [{ x: 1, y: undefined }] }, ARRAYS)).toEqual({ tags: [], points: [{ x: 1 }] });
  });
});
