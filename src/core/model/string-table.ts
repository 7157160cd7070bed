/** Interned strings: each distinct value is stored once and referred to by a small integer. */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }

  /** The id of a string already interned, without adding it. */
  idOf(value: string): number | undefined {
    return this.index.get(value);
  }

  get(id: number): string {
    return this.values[id];
  }

  get size(): number {
    return this.values.length;
  }
}
