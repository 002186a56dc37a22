import {
  Background, Controls, Edge, getViewportForBounds, MarkerType, Node, NodeChange, NodeHandle, Position, ReactFlow,
  useReactFlow, useStoreApi, Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useEditor } from './context';
import { Box, FlowMiniMap } from './FlowMiniMap';
import { InsertEdge } from './edges/InsertEdge';
import type { Positions } from './layout/elk';
import { layoutFlowSync } from './layout/flowLayout';
import { Graph, GraphEdge, START_NODE } from './lib/graph';
import { overlayMarks, readOverlay } from './lib/overlay';
import { OverlayLegend } from './overlay/OverlayLegend';
import type { FlowModel, InsertPoint } from './lib/types';

export type LayoutEngine = 'flow' | 'elk';

/** ELK is loaded only when chosen: it is most of the bundle and slower on large flows. */
async function runLayout(engine: LayoutEngine, model: FlowModel, graph: Graph): Promise<Positions> {
  if (engine === 'elk') return (await import('./layout/elk')).layoutGraph(graph);
  return layoutFlowSync(model, graph);
}

const EMPTY: Positions = new Map();

function fittedViewport(graph: Graph, positions: Positions): Viewport {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of graph.nodes) {
    const p = positions.get(n.id);
    if (!p) continue;
    [x0, y0, x1, y1] = [Math.min(x0, p.x), Math.min(y0, p.y), Math.max(x1, p.x + n.width), Math.max(y1, p.y + n.height)];
  }
  const box = document.querySelector('#flow-editor')?.getBoundingClientRect();
  const width = Math.max(300, (box?.width ?? window.innerWidth) - 360);
  const height = Math.max(300, (box?.height ?? window.innerHeight) - 50);
  const fitted = getViewportForBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, width, height, 0.1, 1, 0.1);
  if (fitted.zoom >= READABLE_ZOOM) return fitted;
  // Too big to read when fitted: open at a readable zoom on the start of the flow instead.
  const start = positions.get(START_NODE);
  const startCenter = start ? start.x + (graph.nodes[0]?.width ?? 0) / 2 : (x0 + x1) / 2;
  return { zoom: OPEN_ZOOM, x: width / 2 - startCenter * OPEN_ZOOM, y: 24 - y0 * OPEN_ZOOM };
}

const READABLE_ZOOM = 0.5;
const OPEN_ZOOM = 0.8;
import { nodeTypes } from './nodes';

const edgeTypes = { insert: InsertEdge };

declare global {
  interface Window { __editorStats?: { layouts: number; lastLayoutMs: number; interactiveMs?: number } }
}

function signature(graph: Graph): string {
  return graph.nodes.map((n) => `${n.id}:${n.width}x${n.height}`).join(',') + '|'
    + graph.edges.map((e) => `${e.source}>${e.target}`).join(',');
}

const HANDLE = 8; // .react-flow__handle: 6px plus a 1px border, centred on the node's edge

/** Where React Flow would measure the handles (NodeShell puts them on the node's outer box). */
function nodeHandles(type: string, width: number, height: number): NodeHandle[] {
  const x = width / 2 - HANDLE / 2;
  const handles: NodeHandle[] = [];
  if (type !== 'start') handles.push({ type: 'target', position: Position.Top, x, y: -HANDLE / 2, width: HANDLE, height: HANDLE });
  if (type !== 'end' && type !== 'link') {
    handles.push({ type: 'source', position: Position.Bottom, x, y: height - HANDLE / 2, width: HANDLE, height: HANDLE });
  }
  return handles;
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
  model: FlowModel; engine: LayoutEngine; graph: Graph; selected: string | null; problemsByStep: Map<string, string[]>; flowProblems: string[];
  hits: Set<string>; focus: { uid: string; n: number; zoom: boolean } | null;
  onSelect: (uid: string | null) => void; onMove: (uid: string, to: InsertPoint) => void; onReady: () => void;
  /** Render off-screen steps too (an image export needs the whole flow in the DOM). */
  renderAll?: boolean;
}) {
  const { cfg } = useEditor();
  const { graph } = props;
  const rf = useReactFlow();
  const rfStore = useStoreApi();
  const [drag, setDrag] = useState<{ id: string; x: number; y: number } | null>(null);
  const sig = useMemo(() => signature(graph), [graph]);
  const graphRef = useRef({ graph, model: props.model });
  graphRef.current = { graph, model: props.model };
  const readyRef = useRef(false);
  const stats = (window.__editorStats ??= { layouts: 0, lastLayoutMs: 0 });
  // The path taken in try-it or test coverage, written by the server page: fixed for the page's life.
  const overlay = useMemo(() => readOverlay(), []);
  const marks = useMemo(() => (overlay ? overlayMarks(graph, overlay) : null), [graph, overlay]);

  // The structured layout is synchronous, so it runs during render: no frame with unplaced nodes.
  const flowPositions = useMemo(() => {
    if (props.engine !== 'flow') return null;
    const t0 = performance.now();
    const pos = layoutFlowSync(graphRef.current.model, graphRef.current.graph);
    stats.lastLayoutMs = performance.now() - t0;
    return pos;
  }, [sig, props.engine]); // eslint-disable-line react-hooks/exhaustive-deps
  const [elkPositions, setElkPositions] = useState<Positions>(EMPTY);
  useEffect(() => {
    if (props.engine !== 'elk') return;
    let cancelled = false;
    const t0 = performance.now();
    runLayout('elk', graphRef.current.model, graphRef.current.graph).then((pos) => {
      if (cancelled) return;
      stats.lastLayoutMs = performance.now() - t0;
      setElkPositions(pos);
    });
    return () => { cancelled = true; };
  }, [sig, props.engine]); // eslint-disable-line react-hooks/exhaustive-deps
  const positions = flowPositions ?? elkPositions;

  // With the synchronous layout the first frame can already show the whole flow fitted,
  // instead of drawing it at zoom 1 and fitting it a frame later (which renders it twice).
  const initialViewport = useRef<Viewport | null | undefined>(undefined);
  if (initialViewport.current === undefined) {
    initialViewport.current = flowPositions && flowPositions.size ? fittedViewport(graph, flowPositions) : null;
  }

  useEffect(() => {
    if (!positions.size) return;
    stats.layouts += 1;
    if (!readyRef.current) {
      readyRef.current = true;
      requestAnimationFrame(() => {
        if (!initialViewport.current) rf.fitView({ maxZoom: 1 });
        props.onReady();
      });
    }
  }, [positions]); // eslint-disable-line react-hooks/exhaustive-deps

  const focusedRef = useRef(0);
  useEffect(() => {
    // Once per request, as soon as the node has a position: jumps zoom in to read the step;
    // a new step only pans into view when it is off screen, which keeps large flows cheap.
    const focus = props.focus;
    if (!focus || focusedRef.current === focus.n) return;
    const pos = positions.get(focus.uid);
    const n = graph.nodes.find((x) => x.id === focus.uid);
    if (!pos || !n) return;
    focusedRef.current = focus.n;
    const center = { x: pos.x + n.width / 2, y: pos.y + n.height / 2 };
    if (focus.zoom) {
      rf.setCenter(center.x, center.y, { zoom: Math.max(rf.getZoom(), 0.9), duration: 0 });
      return;
    }
    const { x, y, zoom } = rf.getViewport();
    // The pane size React Flow already keeps: reading the DOM here would force a layout mid-commit.
    const { width, height } = rfStore.getState();
    const sx = pos.x * zoom + x; const sy = pos.y * zoom + y;
    const visible = sx >= 0 && sy >= 0 && sx + n.width * zoom <= width && sy + n.height * zoom <= height;
    if (!visible) rf.setCenter(center.x, center.y, { zoom, duration: 0 });
  }, [props.focus, positions]); // eslint-disable-line react-hooks/exhaustive-deps

  // Reuse the previous node object when nothing drawn about it changed: every edit clones the
  // model, and handing React Flow 200 new objects re-renders every node.
  const nodeCache = useRef(new Map<string, { key: string; node: Node }>());
  const nodes: Node[] = useMemo(() => {
    const next = new Map<string, { key: string; node: Node }>();
    const out = graph.nodes.map((n) => {
      const pos = drag?.id === n.id ? drag : positions.get(n.id);
      const stepId = n.data.stepId;
      const problems = n.id === START_NODE ? props.flowProblems : (stepId ? props.problemsByStep.get(stepId) ?? [] : []);
      const selected = props.selected === n.id;
      const highlighted = props.hits.has(n.id);
      const mark = marks?.nodes.get(n.id);
      const key = JSON.stringify([pos, selected, highlighted, problems, n.data, n.width, n.height, mark]);
      const cached = nodeCache.current.get(n.id);
      const node: Node = cached?.key === key ? cached.node : {
        id: n.id, type: n.type, position: pos ?? { x: 0, y: 0 }, hidden: !pos,
        width: n.width, height: n.height, selected, className: mark ? `fs-ov-${mark}` : undefined,
        // Sizes and handle spots are known up front: React Flow then neither renders every
        // node once to measure it (on load, and after every move) nor reads their layout back.
        measured: { width: n.width, height: n.height }, handles: nodeHandles(n.type, n.width, n.height),
        draggable: !cfg.readOnly && n.type !== 'start' && n.type !== 'end',
        data: { ...n.data, problems, highlighted },
      };
      next.set(n.id, { key, node });
      return node;
    });
    nodeCache.current = next;
    return out;
  }, [graph, positions, drag, props.selected, props.problemsByStep, props.flowProblems, props.hits, cfg.readOnly, marks]);

  const edgeCache = useRef(new Map<string, { key: string; edge: Edge }>());
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
    const next = new Map<string, { key: string; edge: Edge }>();
    const out = graph.edges.map((e) => {
      let labelAt: { mode: 'target' } | { mode: 'fan'; index: number; count: number } | undefined;
      if (e.data.role === 'branch') {
        const index = seen.get(e.source) ?? 0;
        seen.set(e.source, index + 1);
        labelAt = (targetUse.get(`${e.source}>${e.target}`) ?? 0) > 1
          ? { mode: 'fan', index, count: branchCount.get(e.source) ?? 1 } : { mode: 'target' };
      }
      const data = { ...e.data, label: e.label, labelAt, from: stepIdOf.get(e.source), to: stepIdOf.get(e.target) };
      const marked = marks?.edges.has(e.id) ?? false;
      const key = JSON.stringify([e.target, data, marked]);
      const cached = edgeCache.current.get(e.id);
      const edge: Edge = cached?.key === key ? cached.edge : {
        id: e.id, source: e.source, target: e.target, type: 'insert', className: marked ? 'fs-ov-visited' : undefined,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 }, data,
      };
      next.set(e.id, { key, edge });
      return edge;
    });
    edgeCache.current = next;
    return out;
  }, [graph, marks]);

  const miniBoxes: Box[] = useMemo(() => graph.nodes.flatMap((n) => {
    const p = positions.get(n.id);
    return p ? [{ x: p.x, y: p.y, width: n.width, height: n.height }] : [];
  }), [graph, positions]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging) setDrag({ id: c.id, ...c.position });
    }
  }, []);

  return (
    <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
      defaultViewport={initialViewport.current ?? undefined}
      onNodesChange={onNodesChange} minZoom={0.1} maxZoom={2} onlyRenderVisibleElements={!props.renderAll}
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
      <FlowMiniMap boxes={miniBoxes} />
      {overlay && <OverlayLegend overlay={overlay} />}
    </ReactFlow>
  );
}
