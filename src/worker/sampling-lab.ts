// The sampling lab's analysis: parses the config and the head sampler, replays them over the traces
// (core/sampling) and answers the summary with one row per trace (the server's decision shape). A config or head sampler error is
// part of the answer, so the lab can show it at its line rather than as a failed call.
import { sampledTraceRow } from '../core/api/sampling-api.ts';
import type { TraceModel } from '../core/model/trace-model.ts';
import { parseSamplingConfig, type TailSamplingConfig } from '../core/sampling/config.ts';
import { ConfigError } from '../core/sampling/config-yaml.ts';
import { evaluateSampling } from '../core/sampling/evaluate.ts';
import { parseHeadSampler, type HeadSampler } from '../core/sampling/head-sampler.ts';
import { summarizeSampling } from '../core/sampling/summary.ts';
import { TraceFacts } from '../core/sampling/trace-facts.ts';
import type { SamplingResult } from '../core/view-format/analysis-answers.ts';

/** `facts`: what is known of these traces from earlier evaluations (kept while they stay loaded). */
export function replaySampling(models: readonly TraceModel[], configText: string, headText: string, facts = new TraceFacts()): SamplingResult {
  let config: TailSamplingConfig;
  try {
    config = parseSamplingConfig(configText);
  } catch (err) {
    if (err instanceof ConfigError) return { kind: 'config-error', error: err.info };
    throw err;
  }
  let head: HeadSampler | undefined;
  if (headText.trim() !== '') {
    const parsed = parseHeadSampler(headText);
    if ('error' in parsed) return { kind: 'head-error', message: parsed.error };
    head = parsed;
  }
  const evaluation = evaluateSampling(models, config, head, facts);
  const summary = summarizeSampling(models, evaluation, facts);
  const traces = evaluation.decisions.map((d) => sampledTraceRow(d, models[d.trace]));
  return { kind: 'evaluated', summary, traces };
}
