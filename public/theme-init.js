// Dark mode before the first paint (the app keeps it in sync afterwards). A file, not an inline
// script, so the Content-Security-Policy needs no 'unsafe-inline' for scripts.
try {
  const t = localStorage.getItem('spanscope-theme');
  if (t === 'dark' || (t !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches)) document.documentElement.classList.add('dark');
} catch {
  // storage blocked: follow the system theme via CSS only
}
