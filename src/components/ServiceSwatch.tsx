import { serviceColorIn } from './service-colors.ts';

/** The small colour square that stands for a service everywhere. */
export function ColorSwatch({ color, className = '' }: { color: string; className?: string }) {
  return <span aria-hidden className={`inline-block size-2.5 shrink-0 rounded-sm ring-1 ring-black/10 dark:ring-white/15 ${className}`} style={{ background: color }} />;
}

/** The swatch of a service, by its place among the services of the file. */
export function ServiceSwatch({ services, service, className = '' }: { services: readonly string[]; service: string; className?: string }) {
  return <ColorSwatch color={serviceColorIn(services, service)} className={className} />;
}
