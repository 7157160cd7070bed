// Bytes → TraceCollection: gunzip when gzip, refuse binary, sample the start, detect the format (file
// name first as a hint, then structure; unknown input is an error, never a guess) and import.
import { concatBytes, decodeUtf8, unshared } from '../bytes.ts';
import { JsonCursor, JsonEndOfInput, JsonSyntaxError, JsonTooDeepError, MAX_JSON_DEPTH } from '../json/json-cursor.ts';
import { sampleJson, type JsonSample } from '../json/json-sample.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection, TraceFormat } from '../model/trace-model.ts';
import { datadogImporter } from './datadog.ts';
import { buildCollection, FormatError, isRecord, MORE_BYTES_MARGIN, quoteValue, type TraceImporter } from './importer.ts';
import { IncomingBytes } from './incoming-bytes.ts';
import { jaegerImporter } from './jaeger.ts';
import { LoadError } from './load-error.ts';
import { otlpJsonImporter } from './otlp-json.ts';
import { tempoImporter } from './tempo.ts';
import { zipkinV1Importer } from './zipkin-v1.ts';
import { zipkinV2Importer } from './zipkin.ts';
import { plural } from '../plural.ts';

/** In detection order: the more specific shapes first. */
export const IMPORTERS: readonly TraceImporter[] = [
  tempoImporter,
  otlpJsonImporter,
  jaegerImporter,
  datadogImporter,
  zipkinV2Importer,
  zipkinV1Importer,
];

export interface LoadOptions {
  readonly fileName?: string;
  /** 0..1 of the bytes read so far. */
  readonly onProgress?: (fraction: number) => void;
  /** Asked at each pause of an incremental import: true stops it with a 'superseded' LoadError. */
  readonly superseded?: () => boolean;
  /** Told when a gzip file has arrived whole and its decompression starts. */
  readonly onDecompress?: () => void;
  /** A gzip file that inflates beyond this many bytes is refused ('too-large'): a gzip bomb stops here. */
  readonly maxDecompressedBytes?: number;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The one load path of the worker, the CLI and the server: bytes (whole, or still arriving) → a
 * TraceCollection. Sniffs gzip, detects the format and imports (incrementally where the importer can).
 * Every failure is a LoadError that says what is wrong.
 */
export async function loadBytes(input: Uint8Array | IncomingBytes, options: LoadOptions = {}): Promise<TraceCollection> {
  const incoming = input instanceof IncomingBytes ? input : IncomingBytes.of(input);
  await incoming.atLeast(2);
  if (!isGzip(incoming.bytes.subarray(0, incoming.received))) return importIncrementally(incoming, options);
  const compressed = await incoming.all();
  options.onDecompress?.();
  return importTraces(await gunzipTrace(unshared(compressed), options), options);
}

/**
 * The gzip step of loadBytes on its own, for a caller that keeps the inflated bytes (the server stores
 * and content-addresses them). A LoadError 'too-large' past maxDecompressedBytes, 'bad-shape' when damaged.
 */
export async function gunzipTrace(bytes: Uint8Array, options: Pick<LoadOptions, 'fileName' | 'maxDecompressedBytes'> = {}): Promise<Uint8Array> {
  const max = options.maxDecompressedBytes ?? Infinity;
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        void reader.cancel();
        throw new LoadError({ kind: 'too-large', fileName: options.fileName, message: `The file decompresses to more than ${max} bytes`, detail: 'A gzip file is limited to this size once decompressed.' });
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError({
      kind: 'bad-shape',
      fileName: options.fileName,
      message: 'The file looks gzip-compressed but does not decompress',
      detail: `${err instanceof Error ? err.message : String(err)} (after ${size} decompressed bytes; the file is damaged or cut short)`,
    });
  }
  return concatBytes(chunks);
}

export function detectFormat(bytes: Uint8Array, fileName?: string): { importer: TraceImporter; sample: JsonSample } {
  checkIsText(bytes, fileName);
  let sample: JsonSample;
  try {
    sample = sampleJson(bytes);
  } catch (err) {
    throw toLoadError(err, bytes, fileName);
  }
  const hinted = fileName ? IMPORTERS.filter((i) => i.fileNameHint.test(fileName)) : [];
  for (const importer of [...hinted, ...IMPORTERS]) {
    if (importer.looksLike(sample)) return { importer, sample };
  }
  const nearMiss = wrongTypeInKnownShape(sample.value);
  if (nearMiss) throw new LoadError({ kind: 'bad-shape', fileName, message: `Not valid ${nearMiss.label} data`, detail: nearMiss.problem });
  throw new LoadError({
    kind: 'unknown-format',
    fileName,
    message: 'Not a trace format Spanscope knows',
    detail: `Expected Jaeger JSON, OTLP JSON, a Tempo response, Zipkin v1/v2 JSON or Datadog agent JSON; found ${describeValue(sample.value)}${sample.isSequence ? ' (the first of several JSON values)' : ''}.`,
  });
}

export function importTraces(bytes: Uint8Array, options: LoadOptions = {}): TraceCollection {
  const { fileName, onProgress } = options;
  const { importer } = detectFormat(bytes, fileName);
  const builder = new TraceModelBuilder(importer.format);
  const cursor = new JsonCursor(bytes);
  if (onProgress) cursor.onProgress = (pos) => onProgress(pos / bytes.length);
  try {
    importer.read(cursor, builder);
  } catch (err) {
    throw toLoadError(err, bytes, fileName, importer.label);
  }
  return buildCollection(builder, importer.label, fileName);
}

/** Bytes enough to tell the format (the sample reads at most 256 KB). */
const DETECT_BYTES = 512 * 1024;
/** How much an incremental import parses before it lets the next slices in (see waitForBytes). */
const PAUSE_BYTES = 1 << 20;

/**
 * importTraces() of bytes still arriving: parses what has arrived and waits for more, for importers
 * that can (the others wait for the whole file). Not for gzip: gunzip the whole file first.
 */
export async function importIncrementally(input: IncomingBytes, options: LoadOptions = {}): Promise<TraceCollection> {
  await input.atLeast(DETECT_BYTES);
  const { fileName, onProgress } = options;
  const bytes = input.bytes;
  let importer: TraceImporter;
  try {
    importer = detectFormat(bytes.subarray(0, input.received), fileName).importer;
  } catch (err) {
    if (input.complete) throw err;
    return importTraces(await input.all(), options); // the whole file decides, and names the problem
  }
  if (input.complete || !importer.readIncrementally) return importTraces(await input.all(), options);
  const builder = new TraceModelBuilder(importer.format);
  const cursor = new JsonCursor(bytes, 0, input.received);
  cursor.complete = false;
  if (onProgress) cursor.onProgress = (pos) => onProgress(pos / bytes.length);
  try {
    const reading = importer.readIncrementally(cursor, builder);
    for (;;) {
      cursor.pauseAt = cursor.pos + PAUSE_BYTES;
      if (reading.next().done) break;
      if (cursor.end - cursor.pos < MORE_BYTES_MARGIN) await input.more();
      else await macrotask();
      if (options.superseded?.()) throw new LoadError({ kind: 'superseded', fileName, message: 'Another file was opened before this one was read' });
      cursor.end = input.received;
      cursor.complete = input.complete;
    }
  } catch (err) {
    // A value longer than the margin ran into the end of what had arrived: start over on the whole file.
    if (err instanceof JsonEndOfInput && !cursor.complete) return importTraces(await input.all(), options);
    throw toLoadError(err, bytes, fileName, importer.label);
  }
  return buildCollection(builder, importer.label, fileName);
}

/** Resolves after the tasks already queued (messages bringing slices) have run; a microtask would not. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

export function formatLabel(format: TraceFormat): string {
  return IMPORTERS.find((i) => i.format === format)?.label ?? format;
}

function checkIsText(bytes: Uint8Array, fileName?: string): void {
  let p = 0;
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09)) p++;
  if (p === bytes.length) {
    throw new LoadError({ kind: 'empty', fileName, message: bytes.length === 0 ? 'The file is empty' : 'The file holds only whitespace', detail: 'Expected a JSON trace file.' });
  }
  const head = bytes.subarray(0, Math.min(bytes.length, 4096));
  let control = 0;
  for (const c of head) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20)) control++;
  if (control > 0) {
    throw new LoadError({
      kind: 'binary',
      fileName,
      message: 'The file is binary, not JSON text',
      detail: `Found ${plural(control, 'control byte')} in the first ${head.length} bytes (starts with ${hexPreview(bytes)}). Spanscope reads JSON trace files, optionally gzip-compressed.`,
    });
  }
  const c = bytes[p + (bytes[p] === 0xef ? 3 : 0)];
  if (c !== 0x7b && c !== 0x5b) {
    const text = decodeUtf8(bytes, p, p + 40).split('\n')[0];
    throw new LoadError({ kind: 'invalid-json', fileName, message: 'The file is not JSON', detail: `JSON trace files start with "{" or "["; this one starts with ${JSON.stringify(text)}.`, line: 1, column: p + 1, offset: p });
  }
}

/** Any error of reading JSON or importing it → the LoadError that names the problem. */
export function toLoadError(err: unknown, bytes: Uint8Array, fileName?: string, label?: string): LoadError {
  if (err instanceof LoadError) return err;
  if (err instanceof JsonTooDeepError) {
    return new LoadError({
      kind: 'invalid-json',
      fileName,
      message: `${err.reason} at byte ${err.offset}`,
      detail: `Spanscope reads at most ${MAX_JSON_DEPTH} levels of nested arrays and objects (line ${err.line}, column ${err.column}): …${contextAround(bytes, err.offset)}…`,
      line: err.line,
      column: err.column,
      offset: err.offset,
    });
  }
  if (err instanceof JsonSyntaxError) {
    return new LoadError({
      kind: 'invalid-json',
      fileName,
      message: `Invalid JSON at line ${err.line}, column ${err.column}`,
      detail: `${err.reason} (byte ${err.offset}): …${contextAround(bytes, err.offset)}…`,
      line: err.line,
      column: err.column,
      offset: err.offset,
    });
  }
  if (err instanceof FormatError) {
    return new LoadError({ kind: 'bad-shape', fileName, message: `Not valid ${label ?? 'trace'} data`, detail: err.message });
  }
  // Input nested past what a reader's stack holds is a shape problem, not a size one.
  if (isStackOverflow(err)) {
    return new LoadError({ kind: 'bad-shape', fileName, message: `The ${label ?? 'trace'} data is nested too deeply to read`, detail: 'Values nested thousands of levels deep are not trace data.' });
  }
  if (err instanceof RangeError) {
    return new LoadError({ kind: 'too-large', fileName, message: 'The file is too large to load here', detail: err.message });
  }
  return new LoadError({ kind: 'bad-shape', fileName, message: `Could not read the ${label ?? 'trace'} file`, detail: err instanceof Error ? err.message : String(err) });
}

export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

function contextAround(bytes: Uint8Array, offset: number): string {
  const from = Math.max(0, offset - 30);
  return decodeUtf8(bytes, from, Math.min(bytes.length, offset + 30)).replace(/\s+/g, ' ');
}

function hexPreview(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** "an object with keys data, total", "an array of 3+ objects with keys traceId, id…". */
/**
 * A value that has a known format's keys but a field of the wrong type ({"resourceSpans": "x"}): named
 * as a bad field of that format, rather than "not a trace format".
 */
function wrongTypeInKnownShape(value: unknown): { label: string; problem: string } | undefined {
  if (isRecord(value)) {
    if ('resourceSpans' in value && !Array.isArray(value.resourceSpans)) return { label: 'OTLP JSON', problem: `resourceSpans must be an array, got ${quoteValue(value.resourceSpans)}` };
    if ('data' in value && !Array.isArray(value.data) && (isRecord(value.data) || 'total' in value || 'errors' in value)) {
      return { label: 'Jaeger JSON', problem: `data must be an array of traces, got ${quoteValue(value.data)}` };
    }
  }
  // Jaeger's spelling of the ids (traceID, spanID) without the fields every Jaeger span has.
  const first = Array.isArray(value) ? value[0] : undefined;
  if (isRecord(first) && typeof first.traceID === 'string' && 'spanID' in first) {
    return { label: 'Jaeger JSON', problem: `span 1 of trace ${quoteValue(first.traceID)} has neither operationName nor startTime` };
  }
  return undefined;
}

export function describeValue(value: unknown): string {
  // A loop over the first items, not recursion: the value may be nested deeply.
  let prefix = '';
  for (let levels = 0; Array.isArray(value); levels++) {
    if (value.length === 0) return `${prefix}an empty array`;
    if (levels === 8) return `${prefix}arrays nested further`;
    prefix += 'an array whose first item is ';
    value = value[0];
  }
  return prefix + describeScalarOrObject(value);
}

function describeScalarOrObject(value: unknown): string {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    return `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
  }
  if (value === undefined) return 'nothing readable';
  return `a ${value === null ? 'null' : typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
