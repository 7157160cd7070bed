// The trace page's Flamegraph tab (being built).
interface Props {
  readonly traceId: string;
  readonly services: readonly string[];
  onFilter(query: string): void;
}

export function FlameView(_props: Props) {
  return <p className="m-6 text-sm text-slate-500">The flamegraph is being built.</p>;
}
