// A drag that follows the pointer after it went down on an element, even outside it (pointer capture).

/** Calls `onMove` with how far the pointer moved (px) since it went down, until it goes up. */
export function followPointerDrag(down: { readonly clientX: number; readonly clientY: number; readonly pointerId: number; readonly currentTarget: Element; preventDefault(): void }, onMove: (dx: number, dy: number) => void): void {
  down.preventDefault();
  const { clientX, clientY, currentTarget: target } = down;
  target.setPointerCapture(down.pointerId);
  const move = (ev: Event) => {
    if (ev instanceof PointerEvent) onMove(ev.clientX - clientX, ev.clientY - clientY);
  };
  const up = () => {
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', up);
  };
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', up);
}
