// Back-pressure shared by every receiver (HTTP ports and gRPC): requests being decoded and stored (bodies
// received whole) and the bytes of bodies in memory (whole or arriving) are both capped, and so is how far
// behind the intake is: while the oldest request in hand has waited longer than its bound, new ones are
// refused (when more is offered than the intake stores, the queue would otherwise fill to its cap and
// every request would wait that long, past an exporter's timeout). A refusal is at once (HTTP 503 +
// Retry-After, gRPC UNAVAILABLE + RetryInfo: exporters retry both), never a queue that grows without bound.

export interface Admitted {
  /** The bytes received so far (in all); false when the new ones do not fit. */
  charge(totalBytes: number): boolean;
  /** Gives the slot and its bytes back; later calls do nothing. */
  release(): void;
}

export class IntakeAdmission {
  private requests = 0;
  private bytes = 0;
  /** When each request in hand was admitted, in admission order (the first is the oldest). */
  private readonly admittedAt = new Map<number, number>();
  private nextRequest = 0;

  constructor(
    readonly maxRequests: number,
    readonly maxBytes: number,
    readonly maxWaitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A slot for a request whose body (`bytes`) has arrived whole, or undefined when the receivers are full. */
  admit(bytes: number): Admitted | undefined {
    if (this.requests >= this.maxRequests || !this.fits(bytes) || this.oldestWaitMs() > this.maxWaitMs) return undefined;
    this.requests++;
    const request = this.nextRequest++;
    this.admittedAt.set(request, this.now());
    const slot = this.hold(bytes, true);
    return {
      charge: slot.charge,
      release: () => {
        this.admittedAt.delete(request);
        slot.release();
      },
    };
  }

  /** How long the oldest request in hand has waited (0 with none). */
  private oldestWaitMs(): number {
    for (const at of this.admittedAt.values()) return this.now() - at;
    return 0;
  }

  /**
   * The bytes of a body still arriving, charged as they come (they are in memory): a client that trickles
   * its body holds next to nothing, and no request slot until admit() once the body is whole.
   */
  receiving(): Admitted {
    return this.hold(0, false);
  }

  private hold(bytes: number, countsAsRequest: boolean): Admitted {
    let charged = 0;
    let released = false;
    const charge = (more: number) => {
      if (released) return true;
      if (more > 0 && !this.fits(more)) return false;
      this.bytes += more;
      charged += more;
      return true;
    };
    charge(bytes);
    return {
      charge: (total) => charge(Math.max(0, total - charged)),
      release: () => {
        if (released) return;
        released = true;
        if (countsAsRequest) this.requests--;
        this.bytes -= charged;
      },
    };
  }

  /** Why a request was refused, for the answer. */
  describe(): string {
    const behind = this.oldestWaitMs();
    if (behind > this.maxWaitMs) return `the intake is ${(behind / 1000).toFixed(1)} s behind (the bound is ${this.maxWaitMs / 1000} s); retry shortly`;
    return `${this.requests} requests (${Math.round(this.bytes / 1024)} KiB) are already being received, the limit is ${this.maxRequests} requests or ${Math.round(this.maxBytes / 1024)} KiB; retry shortly`;
  }

  // One request larger than the whole budget is still taken when nothing else is in flight.
  private fits(bytes: number): boolean {
    return this.bytes === 0 || this.bytes + bytes <= this.maxBytes;
  }
}
