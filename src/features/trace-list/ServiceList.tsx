// The services of a trace (or a group of traces) on one line: the first few by name, the rest counted.
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';

const SERVICES_SHOWN = 3;

export function ServiceList({ services }: { services: readonly string[] }) {
  return (
    <div className="flex min-w-0 items-center gap-x-2 overflow-hidden text-xs whitespace-nowrap text-slate-600 dark:text-slate-300">
      {services.slice(0, SERVICES_SHOWN).map((s) => (
        <span key={s} className="flex min-w-0 items-center gap-1">
          <ServiceSwatch service={s} />
          <span className="truncate">{s}</span>
        </span>
      ))}
      {services.length > SERVICES_SHOWN ? <span className="shrink-0 text-slate-400">+{services.length - SERVICES_SHOWN}</span> : null}
    </div>
  );
}
