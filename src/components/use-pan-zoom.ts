// Wheel zoom and drag pan on a graph's <svg> (d3-zoom), fitted to the view when the graph opens, when
// `refitOn` changes and when the box resizes before the user has moved it; `fit` is the "Fit" button.
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import { useCallback, useEffect, useRef } from 'react';
import { FIT_MAX_SCALE, FIT_MIN_SCALE, fitTransform, type Size } from '../render/graph-fit.ts';

/** Zoomed out further than this, elements with the `graph-detail` class are hidden (index.css). */
const DETAIL_SCALE = 0.45;

export function usePanZoom(content: Size | undefined, refitOn?: unknown) {
  const svg = useRef<SVGSVGElement>(null);
  const layer = useRef<SVGGElement>(null);
  const behavior = useRef<ZoomBehavior<SVGSVGElement, unknown> | undefined>(undefined);
  /** The user zoomed or panned: a resize no longer refits. */
  const moved = useRef(false);

  useEffect(() => {
    const root = svg.current;
    if (!root) return;
    const zoomBehavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([FIT_MIN_SCALE, 4 * FIT_MAX_SCALE])
      // d3's default, and never from a control drawn in the graph (a card's checkbox or button).
      .filter((event: MouseEvent) => (!event.ctrlKey || event.type === 'wheel') && !event.button && !(event.target instanceof Element && event.target.closest('input, button, a, select')))
      .on('zoom', (event) => {
        layer.current?.setAttribute('transform', event.transform.toString());
        root.dataset.lod = event.transform.k < DETAIL_SCALE ? 'far' : 'near';
        root.dataset.scale = String(event.transform.k);
        if (event.sourceEvent) moved.current = true;
      });
    behavior.current = zoomBehavior;
    select(root).call(zoomBehavior);
    return () => {
      select(root).on('.zoom', null);
    };
  }, []);

  const fit = useCallback(() => {
    const root = svg.current;
    if (!root || !content || !behavior.current) return;
    const { width, height } = root.getBoundingClientRect();
    if (width === 0 || height === 0) return;
    const t = fitTransform({ width, height }, content);
    moved.current = false;
    select(root).call(behavior.current.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
  }, [content]);

  useEffect(fit, [fit, refitOn]); // not on every render: the user's own zoom stays

  useEffect(() => {
    const root = svg.current;
    if (!root) return;
    const observer = new ResizeObserver(() => {
      if (!moved.current) fit();
    });
    observer.observe(root);
    return () => observer.disconnect();
  }, [fit]);

  return { svg, layer, fit };
}
