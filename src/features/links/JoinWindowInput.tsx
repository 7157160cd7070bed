// The join window: how far apart two traces may start and still be joined by the finder (a job id
// reused weeks later is another job). Written to the URL as `win`; applied when valid.
import { useState } from 'react';
import { joinWindowMs } from '../../state/url.ts';

export function JoinWindowInput({ window, onWindow }: { window: string; onWindow(window: string): void }) {
  const [text, setText] = useState(window);
  const valid = joinWindowMs(text) !== undefined;
  const apply = () => {
    if (valid && text.trim() !== window) onWindow(text.trim());
  };
  return (
    <label className="flex flex-col gap-1" title="Traces are joined only when they start within this time of each other (m, h or d)">
      <span className="field-label">Join window ±</span>
      <input
        data-testid="links-window"
        className={`input w-20 ${valid ? '' : 'border-red-500 dark:border-red-400'}`}
        value={text}
        aria-invalid={!valid}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => e.key === 'Enter' && apply()}
      />
      {valid ? null : <span className="text-xs text-red-700 dark:text-red-300">e.g. 30m, 1h, 7d</span>}
    </label>
  );
}
