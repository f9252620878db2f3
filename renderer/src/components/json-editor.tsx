/**
 * A JSON editor (CodeMirror 6) checked against a JSON Schema as you type: syntax errors and schema
 * errors are underlined, property names and enum values are completed. Loaded with the pages that
 * use it, never with the first screen.
 */
import { autocompletion, closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonLanguage, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { jsonCompletion, jsonSchemaLinter, stateExtensions, updateSchema } from 'codemirror-json-schema';
import { useEffect, useRef } from 'react';

export interface JsonEditorProps {
  value: string;
  onChange: (value: string) => void;
  schema?: Record<string, unknown>;
  /** The accessible name of the editing area. */
  label: string;
  minHeight?: string;
  readOnly?: boolean;
}

const theme = EditorView.theme({
  '&': {
    fontSize: '12px',
    backgroundColor: 'var(--color-bg)',
    color: 'var(--color-fg)',
    border: '1px solid var(--color-line)',
    borderRadius: '6px',
  },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--color-fg)' },
  '.cm-gutters': { backgroundColor: 'var(--color-panel)', color: 'var(--color-muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--color-accent) 8%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--color-accent)' },
  '.cm-tooltip': { backgroundColor: 'var(--color-raised)', color: 'var(--color-fg)', border: '1px solid var(--color-line)' },
});

export function JsonEditor({ value, onChange, schema, label, minHeight = '16rem', readOnly = false }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      history(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      json(),
      linter(jsonParseLinter()),
      linter(jsonSchemaLinter(), { delay: 200 }),
      lintGutter(),
      jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
      autocompletion(),
      stateExtensions(schema),
      theme,
      EditorView.lineWrapping,
      EditorState.readOnly.of(readOnly),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.theme({ '.cm-content, .cm-gutter': { minHeight } }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) changed.current(update.state.doc.toString());
      }),
    ];
    const editor = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    view.current = editor;
    return () => editor.destroy();
    // The editor is made once; value and schema changes are pushed into it below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value)
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    if (view.current) updateSchema(view.current, schema);
  }, [schema]);

  return <div ref={host} data-testid="json-editor" />;
}
