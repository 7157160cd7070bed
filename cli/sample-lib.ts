// `spanscope-sample --config <collector.yaml> [--head <sampler>] <trace file>…`: replays a Collector
// tail_sampling config (and a head sampler) over the traces of the files and prints the decisions and
// the summary as JSON. The files' traces are decided together, as one Collector would receive them.
import { readFileSync } from 'node:fs';
import { decisionJson, type DecisionJson } from '../src/core/api/sampling-api.ts';
import { parseSamplingConfig, type TailSamplingConfig } from '../src/core/sampling/config.ts';
import { ConfigError } from '../src/core/sampling/config-yaml.ts';
import { evaluateSampling } from '../src/core/sampling/evaluate.ts';
import { parseHeadSampler, type HeadSampler } from '../src/core/sampling/head-sampler.ts';
import { summarizeSampling, type SamplingSummary } from '../src/core/sampling/summary.ts';
import { CliFailure, EXIT_BAD_INPUT, EXIT_USAGE, helpRequested, loadTraceFile, runCommand, type CliOutput } from './cli-io.ts';

export const SAMPLE_USAGE = `usage: spanscope-sample --config <collector.yaml> [--processor tail_sampling/<name>] [--head <sampler>] <trace-file>…
  Replays an OpenTelemetry Collector tail_sampling config over the traces of the files (decided
  together) and prints {"traces": […], "summary": {…}} as JSON.
  --config     a whole Collector config, a tail_sampling block, or the processor's own settings
  --processor  which tail_sampling processor, when the config has several
  --head       a head sampler in front: always_on, always_off, traceidratio:<ratio>,
               parentbased_always_on, parentbased_always_off, parentbased_traceidratio:<ratio>;
               add :go (default, Go and Java SDKs), :js (OpenTelemetry JS) or :consistent (ot=rv/th)
  Exit codes: 0 ok, 1 a bad config or trace file, 2 usage / cannot open.
`;

export interface SampleArgs {
  readonly config: string;
  readonly processor: string | undefined;
  readonly head: HeadSampler | undefined;
  readonly files: readonly string[];
}

export interface SampledTraceJson extends DecisionJson {
  readonly file: string;
}

export interface SampleResult {
  readonly traces: readonly SampledTraceJson[];
  readonly summary: SamplingSummary;
}

export function parseSampleArgs(args: readonly string[]): SampleArgs {
  let config: string | undefined;
  let processor: string | undefined;
  let head: HeadSampler | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new CliFailure(`${a} needs a value`, EXIT_USAGE, true);
      return v;
    };
    if (a === '-h' || a === '--help') throw helpRequested();
    else if (a === '--') continue;
    else if (a === '--config') config = value();
    else if (a === '--processor') processor = value();
    else if (a === '--head') {
      const parsed = parseHeadSampler(value());
      if ('error' in parsed) throw new CliFailure(parsed.error, EXIT_USAGE, true);
      head = parsed;
    } else if (a.startsWith('-')) throw new CliFailure(`unknown option ${a}`, EXIT_USAGE, true);
    else files.push(a);
  }
  if (config === undefined) throw new CliFailure('no --config given', EXIT_USAGE, true);
  if (files.length === 0) throw new CliFailure('no trace file given', EXIT_USAGE, true);
  return { config, processor, head, files };
}

/** The config file, parsed; a ConfigError becomes one line "file:line:column: policy "p": message". */
export function loadSamplingConfig(path: string, processor: string | undefined): TailSamplingConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliFailure(`cannot open ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, EXIT_USAGE);
  }
  try {
    return parseSamplingConfig(text, processor);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const { line, column, policy, message } = err.info;
    const where = line === undefined ? path : `${path}:${line}:${column}`;
    throw new CliFailure(`${where}: ${policy === undefined ? '' : `policy "${policy}": `}${message}`, EXIT_BAD_INPUT);
  }
}

export async function sampleFiles(args: SampleArgs): Promise<SampleResult> {
  const config = loadSamplingConfig(args.config, args.processor);
  const loaded = [];
  for (const file of args.files) loaded.push({ file, collection: await loadTraceFile(file) });
  const models = loaded.flatMap(({ collection }) => collection.traces);
  const fileOf = loaded.flatMap(({ file, collection }) => collection.traces.map(() => file));
  const evaluation = evaluateSampling(models, config, args.head);
  return {
    traces: evaluation.decisions.map((d) => {
      const { traceId, ...decision } = decisionJson(d);
      return { traceId, file: fileOf[d.trace], ...decision };
    }),
    summary: summarizeSampling(models, evaluation),
  };
}

/** The whole command; returns the exit code. */
export function runSample(args: readonly string[], out: CliOutput): Promise<number> {
  return runCommand(out, SAMPLE_USAGE, 'spanscope-sample', async () => {
    const result = await sampleFiles(parseSampleArgs(args));
    out.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
}
