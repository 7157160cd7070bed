import { useEffect, useState } from 'react';
import { applyTheme, readThemeChoice, type ThemeChoice } from '../components/theme.ts';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

/** Cycles system → light → dark. */
export function ThemeButton() {
  const [choice, setChoice] = useState<ThemeChoice>(readThemeChoice);
  useEffect(() => applyTheme(choice), [choice]);
  return (
    <button type="button" data-testid="theme-toggle" className="btn-secondary" onClick={() => setChoice(NEXT[choice])} title={LABEL[choice]} aria-label={LABEL[choice]}>
      {choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'}
    </button>
  );
}
