/**
 * docs/architecture.md's rooms and edges are the code's: the block between its markers is what
 * scripts/architecture-rooms.mjs computes from the imports now. And the computation reads every
 * kind of import and leaves tests out, checked on a small tree of its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { OUT_OF_DATE, architectureBlock, blockIn, roomGraph, roomOf, withBlock } from '../../scripts/architecture-rooms.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('docs/architecture.md', () => {
  it('shows the rooms and the edges the imports make', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    expect(blockIn(doc), OUT_OF_DATE).toBe(architectureBlock(roomGraph(root)));
  });
});

describe('the room graph', () => {
  let tree: string | undefined;
  afterEach(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
    tree = undefined;
  });

  /** A repository of `files` (path → text) in a temporary folder. */
  function repository(files: Record<string, string>): string {
    tree = mkdtempSync(join(tmpdir(), 'orch-rooms-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    return tree;
  }

  it('names the rooms: the shells, each folder of the core, its top files, the tools around', () => {
    expect(roomOf('main/cli/main.ts')).toBe('main/cli');
    expect(roomOf('main/electron/main.ts')).toBe('main/electron');
    expect(roomOf('main/core/runs/run-books.ts')).toBe('main/core/runs');
    expect(roomOf('main/core/runtime.ts')).toBe('main/core/runtime.ts');
    expect(roomOf('main/core/hot-reload.js')).toBe('main/core/hot-reload.ts');
    expect(roomOf('renderer/src/app.tsx')).toBe('renderer');
    expect(roomOf('scripts/make-icons.mjs')).toBe('scripts');
    expect(roomOf('eslint.config.js')).toBeUndefined();
  });

  it('follows value, type, re-export and dynamic imports, and the renderer’s @shared alias, but not tests', () => {
    const graph = roomGraph(
      repository({
        'main/core/runs/a.ts': [
          "import { b } from '../batch/b.js';",
          "import type { S } from '../store/s.js';",
          "export { e } from '../events/e.js';",
          "export const later = () => import('../supervisor/p.js');",
          "import {\n  q,\n} from '../protocol/q.js';",
          "import { sibling } from './sibling.js';",
          "import { z } from 'zod';",
        ].join('\n'),
        'main/core/runs/a.test.ts': "import { app } from '../http/app.js';",
        'main/core/runs/__fixtures__/kit.ts': "import { m } from '../../mcp/m.js';",
        'main/core/runtime.ts': "import { a } from './runs/a.js';",
        'renderer/src/page.tsx': "import { client } from '@shared/api/client';",
        'renderer/test/daemon.ts': "import { createRuntime } from '../../main/core/runtime.js';",
      }),
    );
    expect(Object.fromEntries(graph.edges)).toEqual({
      'main/core/runs': ['main/core/batch', 'main/core/events', 'main/core/protocol', 'main/core/store', 'main/core/supervisor'],
      'main/core/runtime.ts': ['main/core/runs'],
      renderer: ['shared'],
    });
  });

  it('tells rooms that import each other, and replaces only the block between the markers', () => {
    const block = architectureBlock(
      roomGraph(repository({ 'main/core/a/x.ts': "import '../b/y.js';", 'main/core/b/y.ts': "import '../a/x.js';" })),
    );
    expect(block).toContain('Rooms that import each other: `main/core/a` ↔ `main/core/b`.');
    expect(withBlock(`# Page\n\n${blockIn(block)}\n\nprose\n`, 'NEW')).toBe('# Page\n\nNEW\n\nprose\n');
  });
});
