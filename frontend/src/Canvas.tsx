import {
  Background, Controls, Edge, MarkerType, MiniMap, Node, NodeChange, ReactFlow, useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useEditor } from './context';
import { InsertEdge } from './edges/InsertEdge';
import { layoutGraph, Positions } from './layout/elk';
import { Graph, GraphEdge, START_NODE } from './lib/graph';
import type { InsertPoint } from './lib/types';
import { nodeTypes } from './nodes';

const edgeTypes = { insert: InsertEdge };

declare global {
  interface Window { __editorStats?: { layouts: number; lastLayoutMs: number; interactiveMs?: number } }
}

function signature(graph: Graph): string {
  return graph.nodes.map((n) => `${n.id}:${n.width}x${n.height}`).join(',') + '|'
    + graph.edges.map((e) => `${e.source}>${e.target}`).join(',');
}

/** The nearest "+" (edge midpoint) to a dropped node, if close enough to mean "move it here". */
function dropTarget(graph: Graph, positions: Positions, nodeId: string, at: { x: number; y: number }): InsertPoint | null {
  const size = graph.nodes.find((n) => n.id === nodeId);
  const center = { x: at.x + (size?.width ?? 0) / 2, y: at.y + (size?.height ?? 0) / 2 };
  let best: { d: number; e: GraphEdge } | null = null;
  for (const e of graph.edges) {
    if (!e.data.insert || e.source === nodeId || e.target === nodeId) continue;
    const s = positions.get(e.source); const t = positions.get(e.target);
    const sn = graph.nodes.find((n) => n.id === e.source); const tn = graph.nodes.find((n) => n.id === e.target);
    if (!s || !t || !sn || !tn) continue;
    const mid = { x: (s.x + sn.width / 2 + t.x + tn.width / 2) / 2, y: (s.y + sn.height + t.y) / 2 };
    const d = Math.hypot(mid.x - center.x, mid.y - center.y);
    if (d < 80 && (!best || d < best.d)) best = { d, e };
  }
  return best?.e.data.insert ?? null;
}

export function Canvas(props: {
  graph: Graph; selected: string | null; problemsByStep: Map<string, string[]>; flowProblems: string[];
  hits: Set<string>; focus: { uid: string; n: number } | null;
  onSelect: (uid: string | null) => void; onMove: (uid: string, to: InsertPoint) => void; onReady: () => void;
}) {
  const { cfg } = useEditor();
  const { graph } = props;
  const rf = useReactFlow();
  const [positions, setPositions] = useState<Positions>(new Map());
  const [drag, setDrag] = useState<{ id: string; x: number; y: number } | null>(null);
  const sig = useMemo(() => signature(graph), [graph]);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const readyRef = useRef(false);

  useEffect(() => {
    let cancelled = false;
    const t0 = performance.now();
    layoutGraph(graphRef.current).then((pos) => {
      if (cancelled) return;
      setPositions(pos);
      const stats = (window.__editorStats ??= { layouts: 0, lastLayoutMs: 0 });
      stats.layouts += 1;
      stats.lastLayoutMs = performance.now() - t0;
    });
    return () => { cancelled = true; };
  }, [sig]);

  useEffect(() => {
    if (positions.size && !readyRef.current) {
      readyRef.current = true;
      requestAnimationFrame(() => { rf.fitView({ maxZoom: 1 }); props.onReady(); });
    }
  }, [positions]); // eslint-disable-line react-hooks/exhaustive-deps

  const focusedRef = useRef(0);
  useEffect(() => {
    // Center once per request, as soon as the node has a laid-out position.
    if (!props.focus || focusedRef.current === props.focus.n) return;
    const pos = positions.get(props.focus.uid);
    const n = graph.nodes.find((x) => x.id === props.focus!.uid);
    if (!pos || !n) return;
    focusedRef.current = props.focus.n;
    rf.setCenter(pos.x + n.width / 2, pos.y + n.height / 2, { zoom: Math.max(rf.getZoom(), 0.9), duration: 0 });
  }, [props.focus, positions]); // eslint-disable-line react-hooks/exhaustive-deps

  const nodes: Node[] = useMemo(() => graph.nodes.map((n) => {
    const pos = drag?.id === n.id ? drag : positions.get(n.id);
    const stepId = n.data.stepId;
    return {
      id: n.id, type: n.type, position: pos ?? { x: 0, y: 0 }, hidden: !pos,
      width: n.width, height: n.height, selected: props.selected === n.id,
      draggable: !cfg.readOnly && n.type !== 'start' && n.type !== 'end',
      data: { ...n.data, problems: n.id === START_NODE ? props.flowProblems : (stepId ? props.problemsByStep.get(stepId) ?? [] : []),
        highlighted: props.hits.has(n.id) },
    };
  }), [graph, positions, drag, props.selected, props.problemsByStep, props.flowProblems, props.hits, cfg.readOnly]);

  const edges: Edge[] = useMemo(() => {
    const stepIdOf = new Map(graph.nodes.map((n) => [n.id, n.data.stepId ?? (n.type === 'start' ? 'START' : 'END')]));
    // Branch labels sit just above their target; when branches share a target they fan out below the source.
    const branchCount = new Map<string, number>();
    const targetUse = new Map<string, number>();
    for (const e of graph.edges) {
      if (e.data.role !== 'branch') continue;
      branchCount.set(e.source, (branchCount.get(e.source) ?? 0) + 1);
      targetUse.set(`${e.source}>${e.target}`, (targetUse.get(`${e.source}>${e.target}`) ?? 0) + 1);
    }
    const seen = new Map<string, number>();
    return graph.edges.map((e) => {
      let labelAt: { mode: 'target' } | { mode: 'fan'; index: number; count: number } | undefined;
      if (e.data.role === 'branch') {
        const index = seen.get(e.source) ?? 0;
        seen.set(e.source, index + 1);
        labelAt = (targetUse.get(`${e.source}>${e.target}`) ?? 0) > 1
          ? { mode: 'fan', index, count: branchCount.get(e.source) ?? 1 } : { mode: 'target' };
      }
      return {
        id: e.id, source: e.source, target: e.target, type: 'insert',
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        data: { ...e.data, label: e.label, labelAt, from: stepIdOf.get(e.source), to: stepIdOf.get(e.target) },
      };
    });
  }, [graph]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging) setDrag({ id: c.id, ...c.position });
    }
  }, []);

  return (
    <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
      onNodesChange={onNodesChange} minZoom={0.1} maxZoom={2} onlyRenderVisibleElements
      nodesConnectable={false} elementsSelectable deleteKeyCode={null} proOptions={{ hideAttribution: true }}
      onNodeClick={(_, n) => props.onSelect(n.type === 'end' ? null : n.id)}
      onPaneClick={() => props.onSelect(null)}
      onNodeDragStop={(_, n) => {
        const target = drag ? dropTarget(graph, positions, n.id, drag) : null;
        setDrag(null);
        if (target) props.onMove(n.id, target);
      }}>
      <Background gap={20} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeStrokeWidth={3} />
    </ReactFlow>
  );
}
