// A file's bytes while they are still being read: one buffer of the whole size, filled from the start.
// The reader calls receive()/finish()/fail(); the importer parses what has arrived and awaits more(),
// so reading and parsing overlap instead of following each other.

export class IncomingBytes {
  private arrived = 0;
  private done = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(readonly bytes: Uint8Array) {}

  /** Bytes that are all there already. */
  static of(bytes: Uint8Array): IncomingBytes {
    const incoming = new IncomingBytes(bytes);
    incoming.finish();
    return incoming;
  }

  /** How many bytes, from the start, have arrived. */
  get received(): number {
    return this.arrived;
  }

  get complete(): boolean {
    return this.done;
  }

  receive(upTo: number): void {
    this.arrived = upTo;
    this.notify();
  }

  finish(): void {
    this.arrived = this.bytes.length;
    this.done = true;
    this.notify();
  }

  fail(err: unknown): void {
    this.failure = err;
    this.done = true;
    this.notify();
  }

  /** Resolves once more bytes have arrived (at once when complete); rejects when reading failed. */
  async more(): Promise<void> {
    if (!this.done) {
      const before = this.arrived;
      while (!this.done && this.arrived === before) await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for at least `count` bytes (or all of them). */
  async atLeast(count: number): Promise<void> {
    while (!this.done && this.arrived < count) await this.more();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for every byte. */
  async all(): Promise<Uint8Array> {
    await this.atLeast(Infinity);
    return this.bytes;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
