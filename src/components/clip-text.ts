// Text a trace holds can be of any length: a 1 MB exception message with no spaces, laid out whole,
// blocks the tab for a minute. Every place that shows such text shows a clipped prefix.

/** Characters shown of a value before "show all" (details panel). */
export const VALUE_CLIP_CHARS = 300;
/** Characters of a value in a hover card or tooltip, which cannot be expanded. */
export const HOVER_CLIP_CHARS = 240;
/** Characters of a name in a label, a list or a graph node. */
export const NAME_CLIP_CHARS = 200;

/** The text cut to `max` characters, with an ellipsis when cut; short text unchanged. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: a lone half renders as a replacement box.
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** One page of a long value: [start, end) in characters, not splitting a surrogate pair. */
export function pageBounds(length: number, page: number, pageChars: number, text: string): readonly [number, number] {
  const at = (i: number) => (i > 0 && i < length && isHighSurrogate(text.charCodeAt(i - 1)) ? i - 1 : i);
  return [at(Math.min(length, page * pageChars)), at(Math.min(length, (page + 1) * pageChars))];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
