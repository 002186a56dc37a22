// A minimap drawn as one SVG path for all steps. React Flow's own MiniMap keeps one <rect> per node
// and updates every one of them when an insert shifts the steps below it; here an edit rewrites a
// single attribute. Panning and zooming by dragging or scrolling the minimap work as in React Flow's.
import { Panel, useStore, useStoreApi } from '@xyflow/react';
import { XYMinimap, type XYMinimapInstance } from '@xyflow/system';
import { memo, useEffect, useMemo, useRef } from 'react';

export interface Box { x: number; y: number; width: number; height: number }

const WIDTH = 200;
const HEIGHT = 150;
const OFFSET_SCALE = 5;

function bounds(boxes: Box[]): Box {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
  }
  return boxes.length ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : { x: 0, y: 0, width: 0, height: 0 };
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x); const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** The step boxes as one path; changes only when the layout does. */
const Steps = memo(function Steps({ boxes }: { boxes: Box[] }) {
  const d = useMemo(() => boxes.map((b) => `M${b.x},${b.y}h${b.width}v${b.height}h${-b.width}z`).join(''), [boxes]);
  return <path className="fs-minimap__steps" d={d} />;
});

export function FlowMiniMap({ boxes }: { boxes: Box[] }) {
  const store = useStoreApi();
  const svg = useRef<SVGSVGElement>(null);
  const instance = useRef<XYMinimapInstance>();
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const flowWidth = useStore((s) => s.width);
  const flowHeight = useStore((s) => s.height);
  const panZoom = useStore((s) => s.panZoom);
  const translateExtent = useStore((s) => s.translateExtent);

  const view: Box = { x: -tx / zoom, y: -ty / zoom, width: flowWidth / zoom, height: flowHeight / zoom };
  const stepsBox = useMemo(() => bounds(boxes), [boxes]);
  const box = boxes.length ? union(stepsBox, view) : view;
  const viewScale = Math.max(box.width / WIDTH, box.height / HEIGHT);
  const viewScaleRef = useRef(viewScale);
  viewScaleRef.current = viewScale;
  const [w, h] = [viewScale * WIDTH, viewScale * HEIGHT];
  const offset = OFFSET_SCALE * viewScale;
  const x = box.x - (w - box.width) / 2 - offset;
  const y = box.y - (h - box.height) / 2 - offset;
  const [vw, vh] = [w + offset * 2, h + offset * 2];

  useEffect(() => {
    if (!svg.current || !panZoom) return;
    instance.current = XYMinimap({
      domNode: svg.current, panZoom,
      getTransform: () => store.getState().transform,
      getViewScale: () => viewScaleRef.current,
    });
    return () => instance.current?.destroy();
  }, [panZoom, store]);
  useEffect(() => {
    instance.current?.update({
      translateExtent, width: flowWidth, height: flowHeight, pannable: true, zoomable: true, zoomStep: 1, inversePan: false,
    });
  }, [translateExtent, flowWidth, flowHeight, panZoom]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap fs-minimap" data-testid="rf__minimap">
      <svg ref={svg} width={WIDTH} height={HEIGHT} viewBox={`${x} ${y} ${vw} ${vh}`} className="react-flow__minimap-svg" role="img"
        aria-label="Mini map">
        <Steps boxes={boxes} />
        <path className="react-flow__minimap-mask" fillRule="evenodd" pointerEvents="none"
          d={`M${x - offset},${y - offset}h${vw + offset * 2}v${vh + offset * 2}h${-vw - offset * 2}z
            M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`} />
      </svg>
    </Panel>
  );
}
