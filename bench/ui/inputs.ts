// Inputs of the UI benchmark: files from our generator (OTLP and Jaeger), from the peer baseline's
// generator (../shared/bench/gen-jaeger-trace.mjs), or given files. Generated files live in bench/out/
// (git-ignored) under the same names `npm run bench` uses, and are reused when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { formatCount } from '../bench.ts';
import { generateTrace } from '../generate-trace.ts';

export const BENCH_DIR = join(import.meta.dirname, '..');
export const PROJECT_DIR = join(BENCH_DIR, '..');
export const OUT_DIR = join(BENCH_DIR, 'out');
export const PEER_GENERATOR = join(PROJECT_DIR, '../shared/bench/gen-jaeger-trace.mjs');

/** otlp / jaeger: our generator; peer: the peer baseline's generator (Jaeger JSON). */
export type InputSource = 'otlp' | 'jaeger' | 'peer';

export interface UiInput {
  readonly label: string;
  /** Absolute path (setInputFiles needs one). */
  readonly file: string;
  readonly bytes: number;
  readonly source: InputSource | 'file';
  /** Spans the generator was asked for; undefined for given files (read off the page instead). */
  readonly spans: number | undefined;
}

// A generated file is reused when present (the 1M files take a while to write); --regen rewrites it.
function reusable(file: string, generator: string, regen: boolean, log: (message: string) => void): boolean {
  if (regen || !existsSync(file)) return false;
  if (statSync(file).mtimeMs < statSync(generator).mtimeMs) log(`note: reusing ${basename(file)}, which is older than ${basename(generator)} (--regen to rewrite it)`);
  return true;
}

export function prepareInputs(
  opts: { sizes: readonly number[]; sources: readonly InputSource[]; files: readonly string[]; regen: boolean },
  log: (message: string) => void,
): UiInput[] {
  if (opts.files.length > 0) {
    return opts.files.map((f) => {
      const file = resolve(f);
      if (!existsSync(file)) throw new Error(`no such file: ${f}`);
      return { label: basename(file), file, bytes: statSync(file).size, source: 'file' as const, spans: undefined };
    });
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const inputs: UiInput[] = [];
  for (const size of opts.sizes) {
    const n = formatCount(size);
    for (const source of opts.sources) {
      let file: string;
      if (source === 'peer') {
        if (!existsSync(PEER_GENERATOR)) throw new Error(`the peer generator is not at ${PEER_GENERATOR}`);
        file = join(OUT_DIR, `peer-jaeger-${n}.json`);
        if (!reusable(file, PEER_GENERATOR, opts.regen, log)) {
          log(`generating ${basename(file)} with ${PEER_GENERATOR}…`);
          const run = spawnSync(process.execPath, [PEER_GENERATOR, '--spans', String(size), '--out', file], { stdio: ['ignore', 'inherit', 'inherit'] });
          if (run.status !== 0) throw new Error(`the peer generator failed (exit ${run.status})`);
        }
      } else {
        file = join(OUT_DIR, `gen-${source}-${n}.json`);
        if (!reusable(file, join(BENCH_DIR, 'generate-trace.ts'), opts.regen, log)) {
          log(`generating ${basename(file)}…`);
          generateTrace(file, { spans: size, format: source });
        }
      }
      const label = source === 'peer' ? `peer-gen jaeger ${n}` : `ours ${source} ${n}`;
      inputs.push({ label, file, bytes: statSync(file).size, source, spans: size });
    }
  }
  return inputs;
}
