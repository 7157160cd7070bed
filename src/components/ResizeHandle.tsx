// A divider the user drags, or moves with the arrow keys when focused, to size the pane beside it.
// `grow` says which way makes the pane larger: a pane right of the handle grows as it moves left.
import type { KeyboardEvent, PointerEvent } from 'react';

interface Props {
  readonly orientation: 'vertical' | 'horizontal';
  readonly label: string;
  readonly testId?: string;
  /** The pane's size now (px) and its bounds, for the arrow keys and assistive technology. */
  readonly size: number;
  readonly min: number;
  readonly max: number;
  /** +1: moving right/down grows the pane; -1: moving left/up does. */
  readonly grow: 1 | -1;
  onResize(size: number): void;
}

const KEY_STEP_PX = 16;

export function ResizeHandle({ orientation, label, testId, size, min, max, grow, onResize }: Props) {
  const clamp = (px: number) => Math.max(min, Math.min(max, px));
  const onPointerDown = (down: PointerEvent<HTMLDivElement>) => {
    down.preventDefault();
    const target = down.currentTarget;
    const from = orientation === 'vertical' ? down.clientX : down.clientY;
    target.setPointerCapture(down.pointerId);
    target.focus();
    const move = (ev: globalThis.PointerEvent) => onResize(clamp(size + grow * ((orientation === 'vertical' ? ev.clientX : ev.clientY) - from)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? KEY_STEP_PX * 4 : KEY_STEP_PX;
    const [less, more] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    let next: number | undefined;
    if (e.key === less) next = size - grow * step;
    else if (e.key === more) next = size + grow * step;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    if (next === undefined) return;
    // The keys size the pane; they do not also move the waterfall's selection.
    e.preventDefault();
    e.stopPropagation();
    onResize(clamp(next));
  };
  return (
    <div
      role="separator"
      tabIndex={0}
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(size)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      className={`shrink-0 touch-none bg-slate-200 outline-none hover:bg-sky-400 focus-visible:bg-sky-500 dark:bg-slate-700 dark:hover:bg-sky-500 ${
        orientation === 'vertical' ? 'w-1.5 cursor-col-resize' : 'h-1.5 cursor-row-resize'
      }`}
    />
  );
}
