// `spanscope-convert <file> --to otlp|jaeger [--out FILE]`: loads any supported trace file and streams
// it out through one of the writers, waiting for the output to drain so memory stays flat.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { batchChunks } from '../src/core/export/chunks.ts';
import { jaegerJsonChunks } from '../src/core/export/jaeger-json.ts';
import { otlpJsonChunks } from '../src/core/export/otlp-json.ts';
import type { TraceCollection } from '../src/core/model/trace-model.ts';
import { CliFailure, EXIT_USAGE, helpRequested, loadTraceFile, runCommand, type CliOutput } from './cli-io.ts';
import { plural } from '../src/core/plural.ts';

export const CONVERT_USAGE = `usage: spanscope-convert <trace-file> --to otlp|jaeger [--out FILE]
  Converts a trace file (any format spanscope-inspect reads) to OTLP/JSON or Jaeger JSON, written to
  FILE or to stdout. Exit codes: 0 ok, 1 the file is not a readable trace, 2 usage / cannot open.
`;

export type ConvertTarget = 'otlp' | 'jaeger';

export interface ConvertArgs {
  readonly file: string;
  readonly to: ConvertTarget;
  /** undefined: stdout. */
  readonly out: string | undefined;
}

const TARGETS: Record<string, ConvertTarget> = { otlp: 'otlp', 'otlp-json': 'otlp', jaeger: 'jaeger', 'jaeger-json': 'jaeger' };

export function parseConvertArgs(args: readonly string[]): ConvertArgs {
  let file: string | undefined;
  let to: string | undefined;
  let out: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++k];
      if (v === undefined || v === '') throw new CliFailure(`${flag} needs a value`, EXIT_USAGE, true);
      return v;
    };
    if (flag === '-h' || flag === '--help') throw helpRequested();
    else if (flag === '--') continue;
    else if (flag === '--to') to = value();
    else if (flag === '--out' || flag === '-o') out = value();
    else if (flag.startsWith('-') && flag !== '-') throw new CliFailure(`unknown option ${flag}`, EXIT_USAGE, true);
    else if (file === undefined) file = arg;
    else throw new CliFailure(`unexpected argument ${arg} (one trace file at a time)`, EXIT_USAGE, true);
  }
  if (file === undefined) throw new CliFailure('no trace file given', EXIT_USAGE, true);
  if (to === undefined) throw new CliFailure('--to otlp|jaeger is required', EXIT_USAGE, true);
  const target = TARGETS[to.toLowerCase()];
  if (!target) throw new CliFailure(`unknown output format ${JSON.stringify(to)} (expected otlp or jaeger)`, EXIT_USAGE, true);
  return { file, to: target, out };
}

export function chunksFor(collection: TraceCollection, to: ConvertTarget): Iterable<string> {
  return to === 'otlp' ? otlpJsonChunks(collection) : jaegerJsonChunks(collection);
}

/** Writes the chunks in ~64 KB pieces, waiting for 'drain' whenever the stream's buffer is full. */
export async function streamChunks(chunks: Iterable<string>, stream: Writable): Promise<void> {
  for (const piece of batchChunks(chunks)) {
    if (!stream.write(piece)) await once(stream, 'drain');
  }
}

/** The whole command; returns the exit code. */
export function runConvert(args: readonly string[], out: CliOutput): Promise<number> {
  return runCommand(out, CONVERT_USAGE, 'spanscope-convert', async () => {
    const { file, to, out: outFile } = parseConvertArgs(args);
    const collection = await loadTraceFile(file);
    const chunks = chunksFor(collection, to);
    if (outFile === undefined) {
      try {
        await streamChunks(chunks, out.stdout);
      } catch (err) {
        // The reader went away (`… | head`): nothing left to do.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw err;
      }
      return;
    }
    const stream = createWriteStream(outFile);
    try {
      await once(stream, 'open');
      await streamChunks(chunks, stream);
      stream.end();
      await once(stream, 'finish');
    } catch (err) {
      stream.destroy();
      throw new CliFailure(`cannot write ${outFile}: ${(err as Error).message}`, EXIT_USAGE);
    }
    const spans = collection.traces.reduce((n, t) => n + t.spanCount, 0);
    out.stderr.write(`wrote ${plural(spans, 'span')} in ${plural(collection.traces.length, 'trace')} as ${to === 'otlp' ? 'OTLP/JSON' : 'Jaeger JSON'} to ${outFile}\n`);
  });
}
