// The right-click menu of a flamegraph block: zoom, open in the waterfall.
import { useEffect, useRef } from 'react';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';

export interface FlameMenuAction {
  readonly label: string;
  readonly testId: string;
  run(): void;
}

interface Props {
  readonly x: number;
  readonly y: number;
  readonly title: string;
  readonly actions: readonly FlameMenuAction[];
  onClose(): void;
}

export function FlameMenu({ x, y, title, actions, onClose }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useKeepInViewport(box);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('resize', onClose);
    box.current?.querySelector('button')?.focus();
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('resize', onClose);
    };
  }, [onClose]);
  return (
    <div
      ref={box}
      role="menu"
      aria-label={title}
      data-testid="flame-menu"
      onKeyDown={(e) => {
        // Escape closes the menu only (the graph would zoom out on it).
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      className="fixed z-50 min-w-56 max-w-[24rem] rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-800"
      style={{ left: x, top: y }}
    >
      <p className="truncate border-b border-slate-200 px-3 pt-1 pb-1.5 text-xs font-medium text-slate-500 dark:border-slate-700 dark:text-slate-400">{title}</p>
      {actions.map((a) => (
        <button
          key={a.testId}
          type="button"
          role="menuitem"
          data-testid={a.testId}
          className="block w-full px-3 py-1.5 text-left text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none dark:text-slate-200 dark:hover:bg-slate-700 dark:focus:bg-slate-700"
          onClick={() => {
            onClose();
            a.run();
          }}
        >
          {a.label}
        </button>
      ))}
    </div>
  );
}
