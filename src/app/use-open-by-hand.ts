// Opening by hand: JSON pasted anywhere outside a text field, and a file dragged onto the page.
import { useEffect, useState, type DragEvent } from 'react';
import type { OpenTarget } from '../state/app-store.ts';

export function usePasteToOpen(openLocal: (target: OpenTarget) => void): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target;
      if (target instanceof Element && target.closest('input, textarea, [contenteditable]')) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text?.trim()) return;
      openLocal({ kind: 'text', text, name: 'pasted JSON' });
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [openLocal]);
}

/** Whether a file is being dragged over the page, and the handlers the page's root takes. */
export function useDropToOpen(openLocal: (target: OpenTarget) => void) {
  const [dragging, setDragging] = useState(false);
  const handlers = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer.types.includes('Files')) setDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const dropped = e.dataTransfer.files[0];
      if (dropped) openLocal({ kind: 'file', file: dropped });
    },
  };
  return { dragging, handlers };
}
