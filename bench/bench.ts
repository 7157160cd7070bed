// `npm run bench`: import speed and memory of loadBytes on synthetic traces of 10k, 100k and 1M spans
// (or on given files). Inputs are generated once into bench/out/ (git-ignored) and reused while the
// generator is unchanged; each input is measured in its own process (bench/measure-load.ts).
//
//   npm run bench -- [--sizes 10k,100k,1M] [--formats otlp,jaeger] [--runs 3] [--json out.json]
//                    [--file trace.json]… [--jaeger-gen] [--otlp-from-converter] [--export]
//                    [--regen] [--heap-mb 12288] [--cpu-prof] [--no-sampling | --sampling-only]
// Then the sampling lab's case (bench/bench-sampling.ts, in its own process): the reference tail policy
// over 100,000 traces × 10 spans and over the 1M-span OTLP file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { generateTrace, parseCount, type GeneratedFormat } from './generate-trace.ts';
import type { LoadMeasurement } from './measure-load.ts';

const BENCH_DIR = import.meta.dirname;
const PROJECT_DIR = join(BENCH_DIR, '..');
const OUT_DIR = join(BENCH_DIR, 'out');
const PEER_GENERATOR = join(PROJECT_DIR, '../shared/bench/gen-jaeger-trace.mjs');

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly formats: readonly GeneratedFormat[];
  readonly runs: number;
  readonly json: string | undefined;
  readonly files: readonly string[];
  readonly jaegerGen: boolean;
  readonly otlpFromConverter: boolean;
  readonly exportOtlp: boolean;
  readonly regen: boolean;
  readonly heapMb: number;
  readonly cpuProf: boolean;
  /** Run the sampling case after the loads ('only': skip the loads). */
  readonly sampling: boolean | 'only';
}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const opts = {
    sizes: [10_000, 100_000, 1_000_000] as readonly number[],
    formats: ['otlp', 'jaeger'] as readonly GeneratedFormat[],
    runs: 3,
    json: undefined as string | undefined,
    files: [] as string[],
    jaegerGen: false,
    otlpFromConverter: false,
    exportOtlp: false,
    regen: false,
    heapMb: 12_288,
    cpuProf: false,
    sampling: true as boolean | 'only',
  };
  for (let k = 0; k < args.length; k++) {
    const [flag, inline] = args[k].includes('=') ? [args[k].slice(0, args[k].indexOf('=')), args[k].slice(args[k].indexOf('=') + 1)] : [args[k], undefined];
    const value = () => {
      const v = inline ?? args[++k];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--sizes') opts.sizes = value().split(',').map(parseCount);
    else if (flag === '--formats') {
      opts.formats = value().split(',').map((f) => {
        if (f !== 'otlp' && f !== 'jaeger') throw new Error(`unknown format ${f} (otlp or jaeger)`);
        return f;
      });
    } else if (flag === '--runs') opts.runs = Math.max(1, Number(value()));
    else if (flag === '--json') opts.json = value();
    else if (flag === '--file') opts.files.push(value());
    else if (flag === '--jaeger-gen') opts.jaegerGen = true;
    else if (flag === '--otlp-from-converter') opts.otlpFromConverter = opts.jaegerGen = true;
    else if (flag === '--export') opts.exportOtlp = true;
    else if (flag === '--regen') opts.regen = true;
    else if (flag === '--heap-mb') opts.heapMb = Number(value());
    else if (flag === '--cpu-prof') opts.cpuProf = true;
    else if (flag === '--no-sampling') opts.sampling = false;
    else if (flag === '--sampling-only') opts.sampling = 'only';
    else if (flag !== '--') throw new Error(`unknown option ${flag}`);
  }
  return opts;
}

export function formatCount(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

// A generated file is reused while it is newer than the generator that made it.
function isFresh(file: string, generator: string, regen: boolean): boolean {
  return !regen && existsSync(file) && statSync(file).mtimeMs > statSync(generator).mtimeMs;
}

interface Input {
  readonly label: string;
  readonly file: string;
}

function prepareInputs(opts: BenchOptions): Input[] {
  if (opts.files.length > 0) return opts.files.map((file) => ({ label: basename(file), file }));
  mkdirSync(OUT_DIR, { recursive: true });
  const inputs: Input[] = [];
  for (const size of opts.sizes) {
    const n = formatCount(size);
    if (opts.jaegerGen) {
      const file = join(OUT_DIR, `peer-jaeger-${n}.json`);
      if (!isFresh(file, PEER_GENERATOR, opts.regen)) {
        log(`generating ${basename(file)} with ${PEER_GENERATOR}…`);
        const run = spawnSync(process.execPath, [PEER_GENERATOR, '--spans', String(size), '--out', file], { stdio: ['ignore', 'inherit', 'inherit'] });
        if (run.status !== 0) throw new Error(`the peer generator failed (exit ${run.status})`);
      }
      inputs.push({ label: `peer jaeger ${n}`, file });
      if (opts.otlpFromConverter) {
        const otlp = join(OUT_DIR, `peer-jaeger-${n}.otlp.json`);
        if (!isFresh(otlp, file, opts.regen) || !isFresh(otlp, join(PROJECT_DIR, 'src/core/export/otlp-json.ts'), opts.regen)) {
          log(`converting ${basename(file)} → ${basename(otlp)} with cli/convert.ts…`);
          const run = spawnSync(process.execPath, ['--import', 'tsx', `--max-old-space-size=${opts.heapMb}`, join(PROJECT_DIR, 'cli/convert.ts'), file, '--to', 'otlp', '--out', otlp], {
            cwd: PROJECT_DIR,
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (run.status !== 0) throw new Error(`the conversion failed (exit ${run.status})`);
        }
        inputs.push({ label: `peer→otlp ${n}`, file: otlp });
      }
      continue;
    }
    for (const format of opts.formats) {
      const file = join(OUT_DIR, `gen-${format}-${n}.json`);
      if (!isFresh(file, join(BENCH_DIR, 'generate-trace.ts'), opts.regen)) {
        log(`generating ${basename(file)}…`);
        const stats = generateTrace(file, { spans: size, format });
        log(`  ${(stats.bytes / 1e6).toFixed(1)} MB, depth ${stats.maxDepth}, ${stats.errors} errors, ${stats.events} events, ${stats.links} links`);
      }
      inputs.push({ label: `${format} ${n}`, file });
    }
  }
  return inputs;
}

function measure(input: Input, opts: BenchOptions): LoadMeasurement {
  const nodeArgs = ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${opts.heapMb}`];
  if (opts.cpuProf) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(OUT_DIR, 'profiles')}`, `--cpu-prof-name=${basename(input.file)}.cpuprofile`);
  const args = [...nodeArgs, join(BENCH_DIR, 'measure-load.ts'), input.file, '--runs', String(opts.runs), ...(opts.exportOtlp ? ['--export'] : [])];
  const run = spawnSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`measuring ${input.file} failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''})`);
  return JSON.parse(run.stdout) as LoadMeasurement;
}

const MB = 1024 * 1024;

export function formatTable(rows: readonly (LoadMeasurement & { label: string })[]): string {
  const header = ['input', 'format', 'spans', 'MB', 'median ms', 'spans/s', 'MB/s', 'peak RSS MB', 'peak heap MB', 'heap after MB', 'model MB', 'export ms'];
  const body = rows.map((r) => [
    r.label,
    r.format,
    formatCount(r.spans),
    (r.bytes / 1e6).toFixed(1),
    String(r.medianMs),
    Math.round(r.spansPerSecond).toLocaleString('en-US'),
    r.megabytesPerSecond.toFixed(1),
    (r.peakRssBytes / MB).toFixed(0),
    (r.peakHeapUsedBytes / MB).toFixed(0),
    (r.heapAfterLoadBytes / MB).toFixed(0),
    (r.modelHeapBytes / MB).toFixed(0),
    r.exportOtlpMs === undefined ? '–' : String(r.exportOtlpMs),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The sampling case in a fresh process, over the generated 1M-span OTLP file (made if missing). */
function measureSampling(opts: BenchOptions): string {
  const [big] = prepareInputs({ ...opts, sizes: [1_000_000], formats: ['otlp'], files: [], jaegerGen: false, otlpFromConverter: false });
  log(`measuring the sampling lab (${opts.runs} runs)…`);
  const args = ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${opts.heapMb}`, join(BENCH_DIR, 'bench-sampling.ts'), '--runs', String(Math.max(opts.runs, 3)), '--file', big.file];
  const run = spawnSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`the sampling case failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''})`);
  return run.stdout;
}

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2));
  if (opts.sampling === 'only') {
    process.stdout.write(measureSampling(opts));
    return;
  }
  const inputs = prepareInputs(opts);
  const rows: (LoadMeasurement & { label: string })[] = [];
  for (const input of inputs) {
    log(`measuring ${input.label} (${opts.runs} run${opts.runs === 1 ? '' : 's'})…`);
    rows.push({ label: input.label, ...measure(input, opts) });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  if (opts.sampling) process.stdout.write(`\n${measureSampling(opts)}`);
  if (opts.json) {
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cpuCount: cpus().length,
      totalMemoryBytes: totalmem(),
      runs: opts.runs,
      results: rows,
    };
    writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${opts.json}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    log(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
