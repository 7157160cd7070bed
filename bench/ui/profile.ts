// Reading V8 CPU profiles (CDP Profiler) and long-animation-frame script positions back to the app's
// TypeScript sources through the build's source maps (the benchmark builds with SPANSCOPE_SOURCEMAPS=1; production builds have none).
// A minimal source-map v3 decoder is here so the benchmark needs no extra package.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Per generated line: flat [genCol, srcIdx, srcLine, srcCol, nameIdx] quintuples (-1 where absent). */
interface DecodedMap {
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly lines: readonly Int32Array[];
}

function decodeMappings(mappings: string): Int32Array[] {
  const lines: Int32Array[] = [];
  let current: number[] = [];
  let genCol = 0;
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  let name = 0;
  let i = 0;
  const fields: number[] = [];
  const flushLine = () => {
    lines.push(Int32Array.from(current));
    current = [];
    genCol = 0;
  };
  while (i <= mappings.length) {
    const c = i < mappings.length ? mappings[i] : ';';
    if (c === ';' || c === ',') {
      if (fields.length) {
        genCol += fields[0];
        let s = -1;
        let sl = -1;
        let sc = -1;
        let n = -1;
        if (fields.length >= 4) {
          src += fields[1];
          srcLine += fields[2];
          srcCol += fields[3];
          s = src;
          sl = srcLine;
          sc = srcCol;
        }
        if (fields.length >= 5) {
          name += fields[4];
          n = name;
        }
        current.push(genCol, s, sl, sc, n);
        fields.length = 0;
      }
      if (c === ';') flushLine();
      i++;
      continue;
    }
    // One base64 VLQ value.
    let value = 0;
    let shift = 0;
    for (;;) {
      const digit = B64_VALUE[mappings.charCodeAt(i++)];
      value += (digit & 31) << shift;
      shift += 5;
      if (!(digit & 32)) break;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
  }
  return lines;
}

export interface OriginalPosition {
  /** Source path without leading ../ segments, e.g. src/core/analysis/visible-rows.ts. */
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  readonly name: string | undefined;
}

export class SourceMaps {
  private readonly maps = new Map<string, DecodedMap | undefined>();
  private readonly texts = new Map<string, string | undefined>();

  /** distDir: the built app; scripts are looked up by their URL path under it. */
  constructor(private readonly distDir: string) {}

  private localPath(url: string): string | undefined {
    try {
      const path = new URL(url).pathname;
      return path.endsWith('.js') ? join(this.distDir, path) : undefined;
    } catch {
      return undefined;
    }
  }

  private map(url: string): DecodedMap | undefined {
    if (this.maps.has(url)) return this.maps.get(url);
    let decoded: DecodedMap | undefined;
    const file = this.localPath(url);
    if (file && existsSync(`${file}.map`)) {
      const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; names: string[]; mappings: string };
      decoded = { sources: raw.sources.map((s) => s.replace(/^(\.\.\/)+/, '').replace(/^\/?/, '')), names: raw.names, lines: decodeMappings(raw.mappings) };
    }
    this.maps.set(url, decoded);
    return decoded;
  }

  /** lineNumber and columnNumber 0-based, as in CDP call frames. */
  original(url: string, lineNumber: number, columnNumber: number): OriginalPosition | undefined {
    const m = this.map(url);
    const segs = m?.lines[lineNumber];
    if (!m || !segs || segs.length === 0) return undefined;
    // Last segment at or before the column.
    let lo = 0;
    let hi = segs.length / 5 - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid * 5] <= columnNumber) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0 || segs[best * 5 + 1] < 0) return undefined;
    const nameIdx = segs[best * 5 + 4];
    return { source: m.sources[segs[best * 5 + 1]], line: segs[best * 5 + 2] + 1, name: nameIdx >= 0 ? m.names[nameIdx] : undefined };
  }

  /** A character offset into a script (long-animation-frame sourceCharPosition) → line and column. */
  originalAtChar(url: string, charPosition: number): OriginalPosition | undefined {
    if (charPosition < 0) return undefined;
    let text = this.texts.get(url);
    if (!this.texts.has(url)) {
      const file = this.localPath(url);
      text = file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      this.texts.set(url, text);
    }
    if (text === undefined) return undefined;
    let line = 0;
    let lineStart = 0;
    for (let k = text.indexOf('\n'); k >= 0 && k < charPosition; k = text.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    return this.original(url, line, charPosition - lineStart);
  }

  describe(url: string, lineNumber: number, columnNumber: number, functionName: string): string {
    const o = url ? this.original(url, lineNumber, columnNumber) : undefined;
    const fn = functionName || '(anonymous)';
    if (!o) return url ? `${fn} ${url.replace(/^https?:\/\/[^/]+/, '')}:${lineNumber + 1}` : fn;
    return `${o.name && o.name !== fn ? `${o.name} [${fn}]` : fn} ${o.source}:${o.line}`;
  }
}

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileEntry {
  readonly fn: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** (idle), (program), (garbage collector) and the rest. */
  readonly idleMs: number;
  readonly gcMs: number;
  readonly topSelf: readonly ProfileEntry[];
  readonly topTotal: readonly ProfileEntry[];
  readonly bySource: readonly ProfileEntry[];
}

interface DescribedNode {
  readonly name: string;
  /** The function as the summary lists it (source-mapped when it can be). */
  readonly key: string;
  readonly source: string;
}

/** Self time, inclusive time (each function once per sample) and self time per source file. */
export function summarizeProfile(profile: CpuProfile, maps: SourceMaps, top = 15): ProfileSummary {
  // Per node what the summary needs; parents as those records, so walking up has no lookup that can miss.
  const described = profile.nodes.map((n): DescribedNode => {
    const f = n.callFrame;
    const o = f.url ? maps.original(f.url, f.lineNumber, f.columnNumber) : undefined;
    const source = o ? o.source.replace(/^.*node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, 'node_modules/$1') : f.url ? f.url.replace(/^https?:\/\/[^/]+/, '') : f.functionName;
    return { name: f.functionName, key: maps.describe(f.url, f.lineNumber, f.columnNumber, f.functionName), source };
  });
  const byId = new Map(profile.nodes.map((n, k) => [n.id, described[k]]));
  const parentOf = new Map<DescribedNode, DescribedNode>();
  profile.nodes.forEach((n, k) => {
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      if (child) parentOf.set(child, described[k]);
    }
  });
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const bySource = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  const seen = new Set<string>();
  for (let k = 0; k < profile.samples.length; k++) {
    // timeDeltas[k + 1] is the time until the next sample: the time this sample stands for.
    const dt = profile.timeDeltas[k + 1] ?? 0;
    const id = profile.samples[k];
    const node = byId.get(id);
    if (!node) throw new Error(`CPU profile sample ${k} is of node ${id}, which the profile's nodes do not list`);
    totalUs += dt;
    if (node.name === '(idle)') {
      idleUs += dt;
      continue;
    }
    if (node.name === '(garbage collector)') gcUs += dt;
    self.set(node.key, (self.get(node.key) ?? 0) + dt);
    bySource.set(node.source, (bySource.get(node.source) ?? 0) + dt);
    seen.clear();
    for (let n: DescribedNode | undefined = node; n !== undefined; n = parentOf.get(n)) {
      if (seen.has(n.key) || n.key === '(root)') continue;
      seen.add(n.key);
      total.set(n.key, (total.get(n.key) ?? 0) + dt);
    }
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, percent: Math.round((us / busyUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), gcMs: Math.round(gcUs / 1000), topSelf: list(self), topTotal: list(total), bySource: list(bySource) };
}

export function formatProfileSummary(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.totalMs} ms profiled, ${s.idleMs} ms idle, ${s.gcMs} ms GC`];
  lines.push('  self time:');
  for (const e of s.topSelf) lines.push(`    ${String(e.ms).padStart(8)} ms ${String(e.percent).padStart(5)}%  ${e.fn}`);
  lines.push('  total time (inclusive):');
  for (const e of s.topTotal) lines.push(`    ${String(e.ms).padStart(8)} ms ${String(e.percent).padStart(5)}%  ${e.fn}`);
  lines.push('  self time by source:');
  for (const e of s.bySource.slice(0, 8)) lines.push(`    ${String(e.ms).padStart(8)} ms ${String(e.percent).padStart(5)}%  ${e.fn}`);
  return lines.join('\n');
}
