// The comparison in plain words: how much longer B took, where the extra time went (per service +
// operation path, by change of self time), what is only on one side, and the errors.
import type { PathDiff, SpanDiff, TraceDiff, TraceDiffSummary } from '../../core/analysis/trace-diff.ts';
import { formatDuration } from '../../components/format.ts';

const MINUS = '\u2212';

/** "+887.7ms", "−12.5ms", "±0". */
export function formatDelta(deltaNs: number): string {
  if (deltaNs === 0) return '±0';
  return `${deltaNs > 0 ? '+' : MINUS}${formatDuration(Math.abs(deltaNs))}`;
}

/** "+581%", "−53%", "+4.2%"; undefined when there is nothing to compare with (A took no time). */
export function formatPercentChange(fromNs: number, toNs: number): string | undefined {
  if (!(fromNs > 0) || !Number.isFinite(toNs)) return undefined;
  const percent = ((toNs - fromNs) / fromNs) * 100;
  const magnitude = Math.abs(percent);
  const digits = magnitude < 10 ? magnitude.toFixed(1).replace(/\.0$/, '') : Math.round(magnitude).toLocaleString('en-US');
  return digits === '0' ? '±0%' : `${percent > 0 ? '+' : MINUS}${digits}%`;
}

export function headline(s: TraceDiffSummary): string {
  const percent = formatPercentChange(s.durationANs, s.durationBNs);
  if (s.deltaNs === 0) return 'A and B took the same time.';
  const ratio = s.durationANs > 0 ? s.durationBNs / s.durationANs : Infinity;
  const detail = [percent, ratio >= 2 && Number.isFinite(ratio) ? `${ratio.toFixed(1)}× as long` : undefined].filter(Boolean).join(', ');
  const amount = formatDuration(Math.abs(s.deltaNs));
  return `B took ${amount} ${s.deltaNs > 0 ? 'longer' : 'less'} than A${detail ? ` (${detail})` : ''}.`;
}

const calls = (n: number) => `${n} call${n === 1 ? '' : 's'}`;

/** "1 call in each", "3 calls in B vs 1 in A", "only in B: 2 calls". */
export function callCounts(countA: number, countB: number): string {
  if (countA === countB) return `${calls(countA)} in each`;
  if (countA === 0) return `only in B: ${calls(countB)}`;
  if (countB === 0) return `only in A: ${calls(countA)}`;
  return `${calls(countB)} in B vs ${countA} in A`;
}

export function pathName(paths: PathDiff, k: number): string {
  return `${paths.names[paths.service[k]]}: ${paths.names[paths.operation[k]]}`;
}

export const pathSelfDelta = (paths: PathDiff, k: number) => paths.selfTimeBNs[k] - paths.selfTimeANs[k];

/** "payment-service: payment.charge +412ms self time (3 calls in B vs 1 in A)". */
export function pathSentence(paths: PathDiff, k: number): string {
  return `${pathName(paths, k)} ${formatDelta(pathSelfDelta(paths, k))} self time (${callCounts(paths.countA[k], paths.countB[k])})`;
}

/** The path that moved most in the direction of the whole trace, named; undefined when none did. */
export function leadSentence(diff: TraceDiff): string | undefined {
  const { summary, paths } = diff;
  if (summary.deltaNs === 0) return undefined;
  const sign = Math.sign(summary.deltaNs);
  const lead = Array.from(summary.topPaths).find((k) => Math.sign(pathSelfDelta(paths, k)) === sign);
  if (lead === undefined) return undefined;
  const share = pathSelfDelta(paths, lead) / summary.deltaNs;
  const what = summary.deltaNs > 0 ? 'extra time' : 'time saved';
  return `${share >= 0.5 ? 'Most' : 'The largest part'} of the ${what}: ${pathSentence(paths, lead)}.`;
}

/** The tops of the subtrees missing on one side, as "service: operation", distinct, in tree order. */
export function missingSubtreeNames(spans: SpanDiff, side: 'A' | 'B'): string[] {
  const present = side === 'A' ? spans.spanA : spans.spanB;
  const names = new Set<string>();
  for (let k = 0; k < spans.nodeCount; k++) {
    const p = spans.parent[k];
    if (present[k] < 0 && (p < 0 || present[p] >= 0)) names.add(`${spans.names[spans.service[k]]}: ${spans.names[spans.operation[k]]}`);
  }
  return [...names];
}

/** "16 spans match; 1 only in A (order-service: pg.connect); none only in B." */
export function structureSentence(diff: TraceDiff, maxNames = 3): string {
  const { summary, spans } = diff;
  const side = (count: number, which: 'A' | 'B') => {
    if (count === 0) return `none only in ${which}`;
    const names = missingSubtreeNames(spans, which === 'A' ? 'B' : 'A');
    const listed = names.slice(0, maxNames).join(', ') + (names.length > maxNames ? `, ${names.length - maxNames} more` : '');
    return `${count.toLocaleString('en-US')} only in ${which} (${listed})`;
  };
  const matched = `${summary.matchedCount.toLocaleString('en-US')} span${summary.matchedCount === 1 ? '' : 's'} match`;
  return `${matched}; ${side(summary.onlyACount, 'A')}; ${side(summary.onlyBCount, 'B')}.`;
}

/** "Errors: 4 in A, none in B."; undefined when neither has any. */
export function errorSentence(s: TraceDiffSummary): string | undefined {
  if (s.errorCountA === 0 && s.errorCountB === 0) return undefined;
  const count = (n: number) => (n === 0 ? 'none' : n.toLocaleString('en-US'));
  return `Errors: ${count(s.errorCountA)} in A, ${count(s.errorCountB)} in B.`;
}
