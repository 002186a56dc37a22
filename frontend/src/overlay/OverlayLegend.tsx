import { Panel } from '@xyflow/react';
import { LEGEND, Overlay } from '../lib/overlay';
import './overlay.css';

/** What the marks on the graph mean (the path taken in try-it, or test coverage). */
export function OverlayLegend({ overlay }: { overlay: Overlay }) {
  return (
    <Panel position="top-left" className="fs-ov-legend" data-overlay-legend={overlay.kind}>
      {LEGEND[overlay.kind].map(([mark, text]) => (
        <span key={mark} className="fs-ov-legend__item"><i className={`fs-ov-swatch fs-ov-swatch--${mark}`} aria-hidden="true" />{text}</span>
      ))}
    </Panel>
  );
}
