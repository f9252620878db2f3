/**
 * The catalog as a virtualised list: only the rows in view are in the DOM. Arrow keys, Home and
 * End move through it (a listbox with an active row), Enter opens the tool.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { cn } from '../../lib/cn';
import type { ToolItem } from '../../stores/types';

const ROW = 56;

export function ToolCatalog({ tools, selected }: { tools: ToolItem[]; selected?: ToolItem }) {
  const navigate = useNavigate();
  const parent = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({ count: tools.length, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 8 });
  useEffect(() => setActive((index) => Math.min(index, Math.max(0, tools.length - 1))), [tools.length]);
  // A tool opened by its URL is brought into view once. One opened from the list is in view and
  // active already: the page shows it a moment after the navigation, and by then the keys may
  // have moved on (End, then Enter, must open the last tool, not the one opened before).
  const shownSelected = useRef(false);
  useEffect(() => {
    if (shownSelected.current || !selected) return;
    const index = tools.findIndex((tool) => tool.server === selected.server && tool.name === selected.name);
    if (index === -1) return;
    shownSelected.current = true;
    setActive(index);
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [tools, selected, virtualizer]);
  const open = (tool: ToolItem | undefined) => {
    shownSelected.current = true;
    if (tool) void navigate(`/tools/${encodeURIComponent(tool.server)}/${encodeURIComponent(tool.name)}`);
  };
  const onKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: tools.length - 1,
      PageDown: active + 10,
      PageUp: active - 10,
    };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.max(0, Math.min(tools.length - 1, moves[event.key]!));
      setActive(next);
      virtualizer.scrollToIndex(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(tools[active]);
    }
  };
  const activeTool = tools[active];
  return (
    <div
      ref={parent}
      role="listbox"
      tabIndex={0}
      aria-label="Tools"
      aria-activedescendant={activeTool ? `tool-row-${active}` : undefined}
      onKeyDown={onKey}
      className="h-[calc(100vh-13rem)] min-h-80 overflow-auto rounded-lg border border-line"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const tool = tools[row.index]!;
          const isSelected = selected?.server === tool.server && selected.name === tool.name;
          return (
            <div
              key={row.key}
              id={`tool-row-${row.index}`}
              role="option"
              aria-selected={isSelected}
              onClick={() => {
                setActive(row.index);
                open(tool);
              }}
              className={cn(
                'absolute left-0 top-0 flex w-full cursor-pointer flex-col justify-center gap-0.5 border-b border-line px-3',
                isSelected && 'bg-panel',
                row.index === active && 'outline outline-2 -outline-offset-2 outline-accent',
              )}
              style={{ height: ROW, transform: `translateY(${row.start}px)` }}
            >
              <div className="flex items-center gap-2">
                <span className="truncate font-mono text-xs font-medium">{tool.name}</span>
                <span className="text-xs text-muted">{tool.server}</span>
                {!tool.enabled ? <Badge>off</Badge> : null}
                {tool.annotations?.readOnlyHint ? <Badge tone="ok">read-only</Badge> : null}
                {tool.annotations?.destructiveHint ? <Badge tone="bad">destructive</Badge> : null}
              </div>
              <p className="truncate text-xs text-muted">{tool.description ?? ''}</p>
            </div>
          );
        })}
      </div>
    </div>
  );
}
