// One repaint per animation frame, however many changes arrive: canvas views schedule `paint` here
// instead of drawing in React's render, and it runs again whenever it changes (its inputs changed).
import { useCallback, useEffect, useRef } from 'react';

export function useFramePaint(paint: () => void): () => void {
  const frame = useRef(0);
  const schedulePaint = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(paint);
  }, [paint]);
  useEffect(() => {
    schedulePaint();
    return () => cancelAnimationFrame(frame.current);
  }, [schedulePaint]);
  return schedulePaint;
}
