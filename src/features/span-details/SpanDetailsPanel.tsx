// Everything about the selected span: identity, timing, ids with copy buttons, attributes grouped by
// span / resource / scope with a filter, events (exceptions with their stack traces), links, warnings.
import { useState, type ReactNode } from 'react';
import { attrValueToString, type Attribute } from '../../core/model/attributes.ts';
import { epochToIso } from '../../core/model/time.ts';
import { ClippedText } from '../../components/ClippedText.tsx';
import { CopyTextButton } from '../../components/CopyTextButton.tsx';
import { formatDuration } from '../../components/format.ts';
import { spanMarkdown } from '../../core/export/markdown-summary.ts';
import type { SpanDetailsView, SpanLinkView } from '../../core/view-format/span-details-view.ts';
import { plural } from '../../core/plural.ts';
import { usePermalink } from '../../state/use-permalink.ts';
import { SpanJson } from './SpanJson.tsx';

interface Props {
  details: SpanDetailsView | undefined;
  loading: boolean;
  selfTimeNs: number;
  serviceColor: string;
  onFollowLink(link: SpanLinkView): void;
  onClose(): void;
  /** Shown right of the service and kind line (where the details go). */
  headerActions?: ReactNode;
  /**
   * The span's links told by someone who knows more (every loaded trace, fan-out numbers): shown in place of
   * the panel's own list, so that each link is listed once, in this one scroll area.
   */
  linksSection?: ReactNode;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      onClick={() => void navigator.clipboard?.writeText(text).then(() => setDone(true), () => setDone(false))}
      className="ml-1 rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-sky-600 dark:hover:bg-slate-700"
    >
      {done ? '✓' : (
        <svg aria-hidden width="11" height="11" viewBox="0 0 16 16" className="inline">
          <path fill="currentColor" d="M5 1h9v11h-2V3H5zM2 4h9v11H2zm2 2v7h5V6z" />
        </svg>
      )}
    </button>
  );
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <section className="border-t border-slate-200 px-4 py-3 dark:border-slate-700">
      <h3 className="mb-2 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {title}
        {count !== undefined ? <span className="ml-1 font-normal">({count})</span> : null}
      </h3>
      {children}
    </section>
  );
}

/** A value as readable text: JSON pretty-printed, long strings wrapped. */
function AttrValue({ attr }: { attr: Attribute }) {
  const text = attrValueToString(attr.value);
  let pretty: string | undefined;
  if (attr.type === 'array' || attr.type === 'map') pretty = JSON.stringify(JSON.parse(text), null, 2);
  else if (attr.type === 'string' && /^\s*[[{]/.test(text)) {
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      pretty = undefined;
    }
  }
  // Clipped: a value can be a megabyte (see ClippedText).
  if (pretty !== undefined) return <ClippedText text={pretty} max={2000} className="block text-[11px] leading-snug whitespace-pre-wrap" />;
  return <ClippedText text={text} className={`break-all whitespace-pre-wrap ${attr.type === 'string' ? '' : 'text-sky-700 dark:text-sky-300'}`} />;
}

/** Attributes drawn at first: a span may carry thousands (a dump of a request); the filter reaches them all. */
const ATTRIBUTE_PAGE = 200;

function AttributeTable({ attributes, filter, group }: { attributes: readonly Attribute[]; filter: string; group: string }) {
  const [limit, setLimit] = useState(ATTRIBUTE_PAGE);
  const f = filter.toLowerCase();
  const shown = f ? attributes.filter((a) => a.key.toLowerCase().includes(f) || attrValueToString(a.value).toLowerCase().includes(f)) : attributes;
  if (shown.length === 0) return <p className="text-xs text-slate-400">{attributes.length ? 'No attribute matches the filter' : 'None'}</p>;
  return (
    <>
      <table className="w-full table-fixed text-xs">
        <tbody>
          {shown.slice(0, limit).map((a, k) => (
            <tr key={`${a.key}-${k}`} data-testid="span-attr" data-group={group} className="align-top odd:bg-slate-50 dark:odd:bg-slate-800/50">
              <td className="w-[40%] py-1 pr-2 pl-1 font-mono break-all text-slate-500 dark:text-slate-400">{a.key}</td>
              <td className="py-1 pr-1 font-mono text-slate-800 dark:text-slate-100">
                <AttrValue attr={a} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length > limit ? (
        <button type="button" data-testid="attr-more" className="mt-1 text-xs text-sky-700 hover:underline dark:text-sky-300" onClick={() => setLimit(limit + ATTRIBUTE_PAGE)}>
          Show {Math.min(ATTRIBUTE_PAGE, shown.length - limit).toLocaleString('en-US')} more of {shown.length.toLocaleString('en-US')}
        </button>
      ) : null}
    </>
  );
}

function IdRow({ label, id }: { label: string; id: string }) {
  return (
    <div className="flex items-center text-xs">
      <span className="w-16 shrink-0 text-slate-500 dark:text-slate-400">{label}</span>
      <span className="font-mono text-slate-800 dark:text-slate-100" data-testid={`span-${label.toLowerCase().replace(' ', '-')}`}>
        {id || '—'}
      </span>
      {id ? <CopyButton text={id} label={label} /> : null}
    </div>
  );
}

export function SpanDetailsPanel({ details, loading, selfTimeNs, serviceColor, onFollowLink, onClose, headerActions, linksSection }: Props) {
  const [filter, setFilter] = useState('');
  const [showJson, setShowJson] = useState(false);
  const permalink = usePermalink();
  if (!details) {
    return (
      <aside data-testid="span-details" className="flex h-full items-center justify-center p-6 text-sm text-slate-400">
        {loading ? 'Loading…' : 'Select a span to see its details'}
      </aside>
    );
  }
  const d = details;
  const isError = d.status === 'error';
  return (
    <aside data-testid="span-details" className="h-full overflow-y-auto bg-white text-sm dark:bg-slate-900" aria-label="Span details">
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-white px-4 py-3 dark:border-slate-700 dark:bg-slate-900">
        <div className="flex items-start gap-2">
          <span aria-hidden className="mt-1.5 size-2.5 shrink-0 rounded-sm" style={{ background: serviceColor }} />
          <div className="min-w-0 flex-1">
            <p className="font-semibold break-words text-slate-900 dark:text-slate-50">
              <ClippedText text={d.label} max={200} boxHeight="max-h-40" testId="span-details-name" className="break-all" />
            </p>
            {d.label !== d.name ? (
              <p className="text-xs break-words text-slate-500 dark:text-slate-400" data-testid="span-details-raw-name">
                raw name <ClippedText text={d.name} max={200} boxHeight="max-h-40" className="font-mono break-all text-slate-700 dark:text-slate-200" />
              </p>
            ) : null}
            <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
              <p className="text-xs text-slate-500 dark:text-slate-400">
                {d.service} · {d.kind} · <span className={isError ? 'font-semibold text-red-600 dark:text-red-400' : ''}>{d.status}</span>
              </p>
              {headerActions}
            </div>
          </div>
          <button type="button" onClick={onClose} aria-label="Close details" className="rounded px-1.5 text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800">
            ✕
          </button>
        </div>
        {isError ? (
          <p data-testid="span-error-message" className="mt-2 rounded bg-red-50 px-2 py-1 text-xs break-words text-red-800 dark:bg-red-950/60 dark:text-red-200">
            <ClippedText text={d.errorMessage ?? d.statusMessage ?? 'Error (no message)'} max={200} boxHeight="max-h-40" className="break-all" />
          </p>
        ) : null}
        <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Start</dt>
            <dd className="tabular-nums">+{formatDuration(d.startNs)}</dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Duration</dt>
            <dd className="tabular-nums" data-testid="span-duration">
              {formatDuration(d.durationNs)}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Self time</dt>
            <dd className="tabular-nums">{formatDuration(selfTimeNs)}</dd>
          </div>
        </dl>
        <p className="mt-1 text-[11px] text-slate-400 tabular-nums">{epochToIso(d.start)}</p>
        <div className="mt-2 flex items-center gap-2">
          <button
            type="button"
            aria-pressed={showJson}
            data-testid="span-json-toggle"
            onClick={() => setShowJson(!showJson)}
            className={`btn-secondary px-2 py-0.5 text-xs ${showJson ? 'border-sky-400 text-sky-700 dark:border-sky-600 dark:text-sky-300' : ''}`}
          >
            {'{ }'} JSON
          </button>
          <CopyTextButton label="Copy as Markdown" testId="copy-span-markdown" className="btn-secondary px-2 py-0.5 text-xs" text={() => spanMarkdown(d, selfTimeNs, permalink())} />
        </div>
      </header>
      {showJson ? <SpanJson details={d} /> : null}
      <Section title="Identifiers">
        <IdRow label="Trace" id={d.traceId} />
        <IdRow label="Span" id={d.spanId} />
        <IdRow label="Parent" id={d.parentSpanId} />
      </Section>
      <Section title="Attributes">
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => e.stopPropagation()}
          placeholder="Filter attributes"
          data-testid="attr-filter"
          className="mb-2 w-full rounded border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-600 dark:bg-slate-950"
        />
        <h4 className="mt-1 mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">Span ({d.attributes.length})</h4>
        <AttributeTable attributes={d.attributes} filter={filter} group="span" />
        {d.resource ? (
          <>
            <h4 className="mt-3 mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">Resource ({d.resource.attributes.length})</h4>
            <AttributeTable attributes={d.resource.attributes} filter={filter} group="resource" />
          </>
        ) : null}
        {d.scope ? (
          <>
            <h4 className="mt-3 mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">
              Scope <ClippedText text={`${d.scope.name} ${d.scope.version}`} max={200} className="break-all" />
            </h4>
            <AttributeTable attributes={d.scope.attributes} filter={filter} group="scope" />
          </>
        ) : null}
      </Section>
      {d.events.length ? (
        <Section title="Events" count={d.events.length}>
          <ol className="space-y-2">
            {d.events.map((e, k) => {
              const get = (key: string) => e.attributes.find((a) => a.key === key)?.value;
              const isException = e.name === 'exception';
              const stack = get('exception.stacktrace') ?? get('stack') ?? get('error.stack');
              return (
                <li key={k} data-testid="span-event" className={`rounded border px-2 py-1.5 text-xs ${isException ? 'border-red-200 bg-red-50/60 dark:border-red-900 dark:bg-red-950/40' : 'border-slate-200 dark:border-slate-700'}`}>
                  <p className="flex justify-between gap-2">
                    <span className={`font-medium ${isException ? 'text-red-700 dark:text-red-300' : ''}`}>{e.name}</span>
                    <span className="text-slate-500 tabular-nums">{e.offsetNs === undefined ? 'no time' : `+${formatDuration(e.offsetNs)}`}</span>
                  </p>
                  {isException ? (
                    <p className="mt-1 break-words">
                      <ClippedText text={String(get('exception.type') ?? '')} className="font-mono font-semibold break-all" /> <ClippedText text={String(get('exception.message') ?? '')} className="break-all" />
                    </p>
                  ) : null}
                  {stack !== undefined ? (
                    <pre className="mt-1 max-h-72 overflow-auto rounded bg-slate-900 p-2 text-[11px] leading-snug text-slate-100">
                      <ClippedText text={String(stack)} max={10_000} />
                    </pre>
                  ) : null}
                  <div className="mt-1">
                    <AttributeTable attributes={e.attributes.filter((a) => !(isException && a.key === 'exception.stacktrace'))} filter="" group="event" />
                  </div>
                </li>
              );
            })}
          </ol>
        </Section>
      ) : null}
      {linksSection ?? (d.links.length || d.inboundLinks.length ? (
        <Section title="Links" count={d.links.length + d.inboundLinks.length}>
          <ul className="space-y-2">
            {d.links.map((l) => {
              const loaded = l.target !== undefined;
              return (
                <li key={l.index} data-testid="span-link" className="rounded border border-slate-200 px-2 py-1.5 text-xs dark:border-slate-700">
                  <p className="flex items-center justify-between">
                    <span className="font-medium">{l.kind.replace('_', ' ')}</span>
                    {loaded ? (
                      <button type="button" className="text-sky-600 hover:underline dark:text-sky-400" onClick={() => onFollowLink(l)}>
                        Go to span →
                      </button>
                    ) : (
                      <span className="text-slate-400">target not loaded</span>
                    )}
                  </p>
                  <p className="font-mono break-all text-slate-600 dark:text-slate-300">
                    {l.traceId} / {l.spanId}
                  </p>
                  {l.attributes.length ? <AttributeTable attributes={l.attributes} filter="" group="link" /> : null}
                </li>
              );
            })}
            {d.inboundLinks.length ? <li className="text-xs text-slate-500">Linked from {plural(d.inboundLinks.length, 'span')} in this file</li> : null}
          </ul>
        </Section>
      ) : null)}
      {d.warnings.length ? (
        <Section title="Warnings" count={d.warnings.length}>
          <ul className="list-disc space-y-1 pl-4 text-xs text-amber-800 dark:text-amber-200">
            {d.warnings.map((w) => (
              <li key={w}>
                <ClippedText text={w} className="break-all" />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </aside>
  );
}
