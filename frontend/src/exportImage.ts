import { getNodesBounds, getViewportForBounds, Node } from '@xyflow/react';
import { toPng, toSvg } from 'html-to-image';

/** Render the whole flow (not just the visible part) to PNG or SVG and download it. */
export async function exportImage(format: 'png' | 'svg', name: string, nodes?: Node[]): Promise<void> {
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) return;
  const all = nodes ?? [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((el) => {
    const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(el.style.transform);
    return { id: el.dataset.id ?? '', position: { x: Number(m?.[1] ?? 0), y: Number(m?.[2] ?? 0) },
      width: el.offsetWidth, height: el.offsetHeight, data: {} } as Node;
  });
  const bounds = getNodesBounds(all);
  const width = Math.min(Math.max(bounds.width + 80, 400), 8000);
  const height = Math.min(Math.max(bounds.height + 80, 300), 8000);
  const vp = getViewportForBounds(bounds, width, height, 0.1, 2, 0.05);
  const options = {
    backgroundColor: '#ffffff', width, height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
  };
  const url = format === 'png' ? await toPng(viewport, options) : await toSvg(viewport, options);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  a.click();
}
