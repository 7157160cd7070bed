/**
 * A count with its noun in the right number: "1 trace", "3 traces", "1,204 spans", "1 connected
 * trace". `many` for irregular nouns ("child", "children").
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
