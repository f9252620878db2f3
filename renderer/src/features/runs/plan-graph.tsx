/** The plan as a dependency graph, one column per wave; during a run each task shows its live state. */
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { BatchPlanInput } from '@shared/batch-plan';
import type { Run } from '../../stores/types';
import { planEdges, wavesById } from './plan-model';

const STATUS_STYLE: Record<string, { border: string; label: string }> = {
  planned: { border: 'var(--color-line)', label: 'planned' },
  queued: { border: 'var(--color-muted)', label: 'queued' },
  running: { border: 'var(--color-busy)', label: 'running' },
  succeeded: { border: 'var(--color-ok)', label: 'succeeded' },
  failed: { border: 'var(--color-bad)', label: 'failed' },
  skipped: { border: 'var(--color-warn)', label: 'skipped' },
  cancelled: { border: 'var(--color-warn)', label: 'cancelled' },
  interrupted: { border: 'var(--color-warn)', label: 'interrupted' },
};

export default function PlanGraph({ plan, run }: { plan: BatchPlanInput; run?: Run }) {
  const { nodes, edges } = useMemo(() => {
    const links = planEdges(plan);
    const waves = wavesById(plan);
    const rows = new Map<number, number>();
    const nodes: Node[] = plan.tasks.map((task) => {
      const wave = waves.get(task.id) ?? 0;
      const row = rows.get(wave) ?? 0;
      rows.set(wave, row + 1);
      const state = run?.tasks.find((candidate) => candidate.id === task.id);
      const status = state?.status ?? 'planned';
      const style = STATUS_STYLE[status] ?? STATUS_STYLE.planned!;
      return {
        id: task.id,
        position: { x: wave * 230, y: row * 86 },
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        data: {
          label: (
            <div className="text-left" data-testid={`task-${task.id}`} data-status={status}>
              <div className="font-mono text-xs font-semibold">{task.id}</div>
              <div className="truncate text-[10px] text-muted">{task.tool}</div>
              <div className="text-[10px] font-medium" style={{ color: style.border }}>
                {style.label}
                {state?.durationMs !== undefined ? ` · ${Math.round(state.durationMs)} ms` : ''}
              </div>
            </div>
          ),
        },
        style: {
          width: 190,
          border: `2px solid ${style.border}`,
          background: 'var(--color-raised)',
          color: 'var(--color-fg)',
          borderRadius: 8,
          padding: 6,
        },
        draggable: false,
      };
    });
    const edges: Edge[] = links.map((link) => ({
      id: `${link.from}->${link.to}`,
      source: link.from,
      target: link.to,
      markerEnd: { type: MarkerType.ArrowClosed },
      animated: run?.tasks.find((task) => task.id === link.to)?.status === 'running',
    }));
    return { nodes, edges };
  }, [plan, run]);
  return (
    <section className="h-80 rounded-lg border border-line" aria-label="Dependency graph of the plan">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        nodesConnectable={false}
        nodesDraggable={false}
        proOptions={{ hideAttribution: true }}
        colorMode="system"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
