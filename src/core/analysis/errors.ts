// Where the errors of a trace are: the error spans themselves, the spans above them (drawn with a
// hollow marker so a collapsed subtree still shows it hides an error), and the message of each.
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';

/**
 * Per span: 1 if its subtree holds an error span but the span is not itself an error. One bottom-up
 * pass: in pre-order every descendant of i comes after i, so walking backwards finishes a subtree
 * before its root is reached.
 */
export function errorAncestors(model: TraceModel): Uint8Array {
  const n = model.spanCount;
  const out = new Uint8Array(n); // while walking: 1 = some descendant is an error
  for (let i = n - 1; i >= 0; i--) {
    const isError = model.status[i] === STATUS_ERROR;
    const p = model.parent[i];
    if (p >= 0 && (isError || out[i] === 1)) out[p] = 1;
    if (isError) out[i] = 0;
  }
  return out;
}

/** Indices of the error spans, in pre-order (the order of the waterfall rows). */
export function errorSpanIndices(model: TraceModel): Uint32Array {
  let count = 0;
  for (let i = 0; i < model.spanCount; i++) if (model.status[i] === STATUS_ERROR) count++;
  const out = new Uint32Array(count);
  for (let i = 0, j = 0; i < model.spanCount; i++) if (model.status[i] === STATUS_ERROR) out[j++] = i;
  return out;
}

// Attributes instrumentations put the message in, most specific first. `error` is often a boolean flag
// (OpenTracing's error=true), so it counts only as text.
const MESSAGE_ATTRIBUTES = ['error.message', 'exception.message', 'otel.status_description', 'error'] as const;

/**
 * A one-line reason for span `i`: its status message, else a message attribute, else the message of
 * its first exception event that has one. Undefined when the trace says nothing.
 */
export function errorMessage(model: TraceModel, i: number): string | undefined {
  const status = model.statusMessage.get(i);
  if (status) return status;
  const attrs = model.stores.attributes;
  for (const key of MESSAGE_ATTRIBUTES) {
    const text = messageText(attrs.find(model.attrStart[i], model.attrCount[i], key));
    if (text !== undefined) return text;
  }
  const events = model.stores.events;
  const strings = model.stores.strings;
  for (let e = model.eventStart[i], end = e + model.eventCount[i]; e < end; e++) {
    if (strings.get(events.nameId[e]) !== 'exception') continue;
    const text = messageText(attrs.find(events.attrStart[e], events.attrCount[e], 'exception.message'));
    if (text !== undefined) return text;
  }
  return undefined;
}

function messageText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || text === 'true' || text === 'false' ? undefined : text;
}
