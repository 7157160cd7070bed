// `npm run bench:ui`: the app in a real headless Chromium, measured the way the peer (Jaeger UI) was:
// open a file through the file input and time it until the first waterfall rows are painted, with the
// main thread's long tasks, the heap of page + worker, scrolling, zooming and collapse/expand-all.
// The app is built (into bench/out/ui-dist) and served by `vite preview` on a free port for the run.
//
//   npm run bench:ui -- [--sizes 10k,100k,300k,1M] [--formats otlp,jaeger,peer] [--jaeger-gen]
//                       [--file trace.json]… [--runs 3] [--json out.json] [--profile] [--load-only] [--views] [--regen] [--no-build]
//                       [--load-timeout-s 900] [--step-timeout-s 300] [--settle-ms 1000]
// See docs/cli-and-bench.md.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { parseCount } from './generate-trace.ts';
import { CHROMIUM_ARGS, chromiumPath } from './ui/browser.ts';
import { OUT_DIR, prepareInputs, PROJECT_DIR, type InputSource } from './ui/inputs.ts';
import { measureRun, type RunResult } from './ui/measure-run.ts';
import { SourceMaps } from './ui/profile.ts';
import { formatReport, summarize, type InputSummary } from './ui/report.ts';
import { buildApp, startPreview, UI_DIST } from './ui/server.ts';

export interface UiBenchOptions {
  readonly sizes: readonly number[];
  readonly sources: readonly InputSource[];
  readonly files: readonly string[];
  readonly runs: number;
  readonly json: string | undefined;
  readonly profile: boolean;
  readonly loadOnly: boolean;
  readonly views: boolean;
  readonly regen: boolean;
  readonly build: boolean;
  readonly loadTimeoutMs: number;
  readonly stepTimeoutMs: number;
  readonly settleMs: number;
}

const USAGE = `usage: npm run bench:ui -- [--sizes 10k,100k,300k,1M] [--formats otlp,jaeger,peer] [--jaeger-gen]
                        [--file trace.json]… [--runs 3] [--json out.json] [--profile] [--load-only] [--views] [--regen] [--no-build]
                        [--load-timeout-s 900] [--step-timeout-s 300] [--settle-ms 1000]`;

export function parseUiBenchArgs(args: readonly string[]): UiBenchOptions {
  const opts = {
    sizes: [10_000, 100_000, 300_000, 1_000_000] as readonly number[],
    sources: ['otlp', 'jaeger'] as readonly InputSource[],
    files: [] as string[],
    runs: 3,
    json: undefined as string | undefined,
    profile: false,
    loadOnly: false,
    views: false,
    regen: false,
    build: true,
    loadTimeoutMs: 900_000,
    stepTimeoutMs: 300_000,
    settleMs: 1000,
  };
  for (let k = 0; k < args.length; k++) {
    const eq = args[k].indexOf('=');
    const [flag, inline] = args[k].startsWith('--') && eq > 0 ? [args[k].slice(0, eq), args[k].slice(eq + 1)] : [args[k], undefined];
    const value = () => {
      const v = inline ?? args[++k];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error(`${flag} needs a positive number, not ${v}`);
      return n;
    };
    if (flag === '--sizes') opts.sizes = value().split(',').map(parseCount);
    else if (flag === '--formats') {
      opts.sources = value()
        .split(',')
        .map((f) => {
          if (f !== 'otlp' && f !== 'jaeger' && f !== 'peer') throw new Error(`unknown format ${f} (otlp, jaeger or peer)`);
          return f;
        });
    } else if (flag === '--jaeger-gen') opts.sources = ['peer'];
    else if (flag === '--file') opts.files.push(value());
    else if (flag === '--runs') opts.runs = Math.floor(positive(value()));
    else if (flag === '--json') opts.json = value();
    else if (flag === '--profile') opts.profile = true;
    else if (flag === '--load-only') opts.loadOnly = true;
    else if (flag === '--views') opts.views = true;
    else if (flag === '--regen') opts.regen = true;
    else if (flag === '--no-build') opts.build = false;
    else if (flag === '--load-timeout-s') opts.loadTimeoutMs = positive(value()) * 1000;
    else if (flag === '--step-timeout-s') opts.stepTimeoutMs = positive(value()) * 1000;
    else if (flag === '--settle-ms') opts.settleMs = Number(value());
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag !== '--') throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return opts;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function browserVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const version = browser.version();
  await browser.close();
  return version;
}

async function main(): Promise<void> {
  const opts = parseUiBenchArgs(process.argv.slice(2));
  const inputs = prepareInputs({ sizes: opts.sizes, sources: opts.sources, files: opts.files, regen: opts.regen }, log);
  if (opts.build) buildApp(PROJECT_DIR, log);
  const server = await startPreview(PROJECT_DIR, log);
  const stopOnSignal = () => {
    void server.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const allRuns: RunResult[] = [];
  const summaries: InputSummary[] = [];
  let version: string | undefined;
  try {
    version = await browserVersion();
    log(`Chromium ${version} (${chromiumPath() ?? "Playwright's own"}), ${cpus().length} cores, viewport 1280×800`);
    const maps = new SourceMaps(join(PROJECT_DIR, UI_DIST));
    for (const input of inputs) {
      log(`measuring ${input.label} (${(input.bytes / 1e6).toFixed(0)} MB, ${opts.runs} run${opts.runs === 1 ? '' : 's'})…`);
      const runs: RunResult[] = [];
      for (let r = 1; r <= opts.runs; r++) {
        runs.push(
          await measureRun({
            url: server.url,
            input,
            run: r,
            loadTimeoutMs: opts.loadTimeoutMs,
            stepTimeoutMs: opts.stepTimeoutMs,
            settleMs: opts.settleMs,
            profile: opts.profile,
            loadOnly: opts.loadOnly,
            views: opts.views,
            profileDir: join(OUT_DIR, 'profiles'),
            maps,
            viewport: { width: 1280, height: 800 },
            log,
          }),
        );
      }
      allRuns.push(...runs);
      summaries.push(summarize(runs, input.spans));
    }
  } finally {
    await server.stop();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  process.stdout.write(`${formatReport(summaries, opts.runs)}\n`);
  if (opts.json) {
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      chromium: version ?? null,
      chromiumPath: chromiumPath() ?? null,
      chromiumArgs: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      cpu: cpus()[0]?.model,
      cpuCount: cpus().length,
      totalMemoryBytes: totalmem(),
      runs: opts.runs,
      profile: opts.profile,
      summaries,
      results: allRuns,
    };
    writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${opts.json}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    log(`bench:ui: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
