// The search form: backend, service and operation (lists from the backend), tags, durations, time
// range, limit, errors only, and TraceQL for Tempo. Lists load through TanStack Query; a backend that
// fails says so next to the field and the rest of the form keeps working.
import { useState, type ReactNode } from 'react';
import { exampleQuery } from '../../core/analysis/tag-filters.ts';
import type { BackendInfo } from '../../core/api/backend-api.ts';
import { failureText } from '../../queries/api-fetch.ts';
import { useOperations, useServices } from '../../queries/services.ts';
import { useTagNames } from '../../queries/tag-names.ts';
import type { SearchUrlState } from '../../state/url.ts';
import { LOOKBACKS } from '../../core/api/lookbacks.ts';
import { defaultLookback } from './search-form-state.ts';

interface Props {
  readonly backends: readonly BackendInfo[];
  readonly initial: SearchUrlState;
  readonly busy: boolean;
  onSubmit(form: SearchUrlState): void;
}

export function SearchForm({ backends, initial, busy, onSubmit }: Props) {
  const [form, setForm] = useState(initial);
  const backend = backends.find((b) => b.name === form.backend) ?? backends[0];
  const services = useServices(backend?.name);
  const operations = useOperations(backend?.name, form.service || undefined);
  const tagNames = useTagNames(backend?.supports.tags ? backend.name : undefined);
  const tagExample = exampleQuery(tagNames.data ?? []) ?? 'http.status_code=500';
  const update = (patch: Partial<SearchUrlState>) => setForm((f) => ({ ...f, ...patch }));

  return (
    <form
      data-testid="search-form"
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ ...form, backend: backend?.name });
      }}
    >
      <Field label="Backend" htmlFor="search-backend">
        <select id="search-backend" data-testid="search-backend" className="input" value={backend?.name ?? ''} onChange={(e) => update({ backend: e.target.value, service: '', operation: '' })}>
          {backends.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name} ({b.type === 'embedded' ? 'embedded store' : b.type})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Service" htmlFor="search-service" problem={services.isError ? failureText(services.error) : undefined}>
        <select
          id="search-service"
          data-testid="search-service"
          className="input"
          value={form.service}
          disabled={services.isPending}
          onChange={(e) => update({ service: e.target.value, operation: '' })}
        >
          <option value="">{services.isPending ? 'Loading…' : services.isError ? 'Unavailable' : `All services (${services.data.length})`}</option>
          {services.data?.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          {form.service && services.data && !services.data.includes(form.service) ? <option value={form.service}>{form.service}</option> : null}
        </select>
      </Field>
      {backend?.supports.operations ? (
        <Field label="Operation" htmlFor="search-operation" problem={operations.isError ? failureText(operations.error) : undefined}>
          <select id="search-operation" data-testid="search-operation" className="input" value={form.operation} disabled={!form.service} onChange={(e) => update({ operation: e.target.value })}>
            <option value="">{!form.service ? 'Pick a service first' : operations.isPending ? 'Loading…' : 'All operations'}</option>
            {operations.data?.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {backend?.supports.tags ? (
        <Field label="Tags" htmlFor="search-tags">
          <input
            id="search-tags"
            data-testid="search-tags"
            className="input font-mono"
            value={form.tags}
            spellCheck={false}
            placeholder={`${tagExample} error=true`}
            onChange={(e) => update({ tags: e.target.value })}
          />
        </Field>
      ) : null}
      {backend?.supports.traceQl ? (
        <Field label="TraceQL" htmlFor="search-traceql">
          <textarea
            id="search-traceql"
            data-testid="search-traceql"
            className="input min-h-16 font-mono text-xs"
            value={form.traceQl}
            spellCheck={false}
            placeholder={'{ resource.service.name = "frontend" && status = error }'}
            onChange={(e) => update({ traceQl: e.target.value })}
          />
        </Field>
      ) : null}
      <Field label="Time range" htmlFor="search-lookback">
        <select id="search-lookback" data-testid="search-lookback" className="input" value={form.lookback || defaultLookback(backend?.type)} onChange={(e) => update({ lookback: e.target.value })}>
          {LOOKBACKS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
      </Field>
      {form.lookback === 'custom' ? (
        <div className="grid grid-cols-2 gap-2">
          <Field label="From" htmlFor="search-start">
            <input id="search-start" type="datetime-local" className="input" value={toLocalInput(form.start)} onChange={(e) => update({ start: fromLocalInput(e.target.value) })} />
          </Field>
          <Field label="To" htmlFor="search-end">
            <input id="search-end" type="datetime-local" className="input" value={toLocalInput(form.end)} onChange={(e) => update({ end: fromLocalInput(e.target.value) })} />
          </Field>
        </div>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <Field label="Min duration" htmlFor="search-min">
          <input id="search-min" data-testid="search-min-duration" className="input" value={form.minDuration} placeholder="e.g. 100ms" onChange={(e) => update({ minDuration: e.target.value })} />
        </Field>
        <Field label="Max duration" htmlFor="search-max">
          <input id="search-max" data-testid="search-max-duration" className="input" value={form.maxDuration} placeholder="e.g. 2s" onChange={(e) => update({ maxDuration: e.target.value })} />
        </Field>
      </div>
      <div className="grid grid-cols-2 items-end gap-2">
        <Field label="Limit" htmlFor="search-limit">
          <input id="search-limit" type="number" min={1} max={1500} className="input" value={form.limit} onChange={(e) => update({ limit: Number(e.target.value) })} />
        </Field>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700 dark:text-slate-200">
          <input type="checkbox" data-testid="search-errors" checked={form.errorsOnly} onChange={(e) => update({ errorsOnly: e.target.checked })} />
          Errors only
        </label>
      </div>
      <button type="submit" className="btn-primary justify-center" data-testid="search-submit" disabled={busy || !backend}>
        {busy ? 'Searching…' : 'Find traces'}
      </button>
    </form>
  );
}

function Field({ label, htmlFor, problem, children }: { label: string; htmlFor: string; problem?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="field-label">
        {label}
      </label>
      {children}
      {problem ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
