// Light / dark / follow the system. The choice is kept in localStorage; the `dark` class on <html> is
// what Tailwind's dark: variant and the canvas renderers read.
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'spanscope-theme';

export function readThemeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyTheme(choice: ThemeChoice): () => void {
  localStorage.setItem(KEY, choice);
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const update = () => document.documentElement.classList.toggle('dark', choice === 'dark' || (choice === 'system' && media.matches));
  update();
  media.addEventListener('change', update);
  return () => media.removeEventListener('change', update);
}
