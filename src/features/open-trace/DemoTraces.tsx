import { useQuery } from '@tanstack/react-query';
import { useOpenTrace } from './use-open-trace.ts';

interface DemoEntry {
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly format: string;
}

async function fetchDemoIndex(): Promise<DemoEntry[]> {
  const response = await fetch(`${import.meta.env.BASE_URL}demo/index.json`);
  if (!response.ok) throw new Error(`demo list: HTTP ${response.status}`);
  return (await response.json()) as DemoEntry[];
}

export function DemoTraces() {
  const open = useOpenTrace();
  const demos = useQuery({ queryKey: ['demo-index'], queryFn: fetchDemoIndex, staleTime: Infinity });
  if (demos.isError) return <p className="text-sm text-slate-500">Demo traces are not available: {demos.error.message}</p>;
  return (
    <section aria-labelledby="demo-heading">
      <h2 id="demo-heading" className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        Demo traces
      </h2>
      <ul className="grid gap-3 sm:grid-cols-2">
        {(demos.data ?? []).map((d) => (
          <li key={d.file}>
            <button
              type="button"
              data-testid="demo-trace"
              onClick={() => void open({ kind: 'url', url: new URL(`${import.meta.env.BASE_URL}demo/${d.file}`, window.location.href).href })}
              className="h-full w-full rounded-lg border border-slate-200 bg-white p-4 text-left shadow-sm transition hover:border-sky-400 hover:shadow dark:border-slate-700 dark:bg-slate-900 dark:hover:border-sky-500"
            >
              <span className="flex items-baseline justify-between gap-2">
                <span className="font-medium text-slate-800 dark:text-slate-100">{d.title}</span>
                <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">{d.format}</span>
              </span>
              <span className="mt-1 block text-sm text-slate-500 dark:text-slate-400">{d.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
