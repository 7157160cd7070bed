// Writers produce their output as a sequence of string chunks (about one per span) so that a
// million-span trace (~1 GB of JSON) is never one string: V8 caps strings at ~512 MiB, and the
// consumer (a file stream, a Blob, a download) can take the pieces as they come.
import type { Attribute } from '../model/attributes.ts';
import type { LinkKind } from '../model/trace-model.ts';

/** The formats a trace is written in (downloads, the CLI's convert). */
export type ExportFormat = 'otlp' | 'jaeger';

/** Receives the output piece by piece, in order. */
export type ChunkSink = (chunk: string) => void;

export function writeChunks(chunks: Iterable<string>, sink: ChunkSink): void {
  for (const chunk of chunks) sink(chunk);
}

/**
 * Joins small chunks into pieces of at least `minChars` characters (fewer, larger writes for file and
 * socket streams). The last piece may be shorter.
 */
export function* batchChunks(chunks: Iterable<string>, minChars = 64 * 1024): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= minChars) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * The OpenTelemetry Jaeger translator records a reference's type as this link attribute; both writers
 * honour it so a Jaeger CHILD_OF / FOLLOWS_FROM survives a trip through OTLP.
 */
export const REF_TYPE_ATTRIBUTE = 'opentracing.ref_type';

/** The link's kind, or the one its opentracing.ref_type attribute names (links read back from OTLP). */
export function effectiveLinkKind(kind: LinkKind, attributes: readonly Attribute[]): LinkKind {
  if (kind !== 'link') return kind;
  const refType = attributes.find((a) => a.key === REF_TYPE_ATTRIBUTE)?.value;
  return refType === 'child_of' || refType === 'follows_from' ? refType : 'link';
}
