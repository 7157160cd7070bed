import { serviceColor } from './service-colors.ts';

/** The small colour square that stands for a service everywhere (its data attributes let tests compare views). */
export function ColorSwatch({ color, service, className = '' }: { color: string; service?: string; className?: string }) {
  return (
    <span
      aria-hidden
      data-service={service}
      data-service-color={service === undefined ? undefined : color}
      className={`inline-block size-2.5 shrink-0 rounded-sm ring-1 ring-black/10 dark:ring-white/15 ${className}`}
      style={{ background: color }}
    />
  );
}

/** The swatch of a service, in its one colour. */
export function ServiceSwatch({ service, className = '' }: { service: string; className?: string }) {
  return <ColorSwatch color={serviceColor(service)} service={service} className={className} />;
}
