// The time ranges a search (and the sampling lab over the store) offers, as Jaeger UI's lookback menu does.
export const LOOKBACKS: readonly { readonly value: string; readonly label: string; readonly ms: number }[] = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3600_000 },
  { value: '3h', label: 'Last 3 hours', ms: 3 * 3600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3600_000 },
  { value: '12h', label: 'Last 12 hours', ms: 12 * 3600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { value: '2d', label: 'Last 2 days', ms: 2 * 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'all', label: 'Any time', ms: Infinity },
];
