// `spanscope-inspect <file>`: loads a trace file the way the app does and prints a JSON summary.
import { summarizeTrace } from '../src/core/analysis/trace-summary.ts';
import type { TraceCollection } from '../src/core/model/trace-model.ts';
import { CliFailure, EXIT_USAGE, helpRequested, loadTraceFile, runCommand, type CliOutput } from './cli-io.ts';

export const INSPECT_USAGE = `usage: spanscope-inspect <trace-file>
  Prints a JSON summary of every trace in the file (Jaeger, OTLP, Tempo, Zipkin v1/v2 or Datadog JSON,
  optionally gzip-compressed). Exit codes: 0 ok, 1 the file is not a readable trace, 2 usage / cannot open.
`;

export interface InspectedTrace {
  readonly traceId: string;
  readonly spans: number;
  readonly services: readonly string[];
  readonly errors: number;
  readonly roots: number;
  /** Earliest start to latest end, in microseconds (fractional below 1 µs). */
  readonly durationUs: number;
  readonly rootService: string;
  readonly rootName: string;
  readonly warnings: readonly string[];
}

export interface InspectResult {
  readonly format: string;
  readonly traces: readonly InspectedTrace[];
  /** Problems with the file as a whole (skipped lines or spans). */
  readonly warnings: readonly string[];
}

export function summarizeForInspect(collection: TraceCollection): InspectResult {
  return {
    format: collection.format,
    traces: collection.traces.map((model) => {
      const s = summarizeTrace(model);
      return {
        traceId: s.traceId,
        spans: s.spanCount,
        services: s.services,
        errors: s.errorCount,
        roots: s.rootCount,
        durationUs: Math.round(s.durationNs) / 1000,
        rootService: s.rootService,
        rootName: s.rootName,
        warnings: s.warnings,
      };
    }),
    warnings: collection.warnings,
  };
}

export function parseInspectArgs(args: readonly string[]): { readonly file: string } {
  const positional = args.filter((a) => a !== '--');
  if (positional.includes('-h') || positional.includes('--help')) throw helpRequested();
  if (positional.length === 0) throw new CliFailure('no trace file given', EXIT_USAGE, true);
  if (positional.length > 1) throw new CliFailure(`expected one trace file, got ${positional.length} arguments: ${positional.join(' ')}`, EXIT_USAGE, true);
  const [file] = positional;
  if (file.startsWith('-')) throw new CliFailure(`unknown option ${file}`, EXIT_USAGE, true);
  return { file };
}

/** The whole command; returns the exit code. */
export function runInspect(args: readonly string[], out: CliOutput): Promise<number> {
  return runCommand(out, INSPECT_USAGE, 'spanscope-inspect', async () => {
    const { file } = parseInspectArgs(args);
    const collection = await loadTraceFile(file);
    out.stdout.write(`${JSON.stringify(summarizeForInspect(collection), null, 2)}\n`);
  });
}
