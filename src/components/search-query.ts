/** A value in a waterfall search query, quoted (a click on a graph or a table filters by it). */
export const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
