// Back-pressure shared by every receiver (HTTP ports and gRPC): requests being decoded and stored (bodies
// received whole) and the bytes of bodies in memory (whole or arriving) are both capped. A request beyond either cap is refused at once (HTTP 503 + Retry-After, gRPC
// UNAVAILABLE + RetryInfo: exporters retry both) instead of waiting in a queue that could grow without bound.

export interface Admitted {
  /** The bytes received so far (in all); false when the new ones do not fit. */
  charge(totalBytes: number): boolean;
  /** Gives the slot and its bytes back; later calls do nothing. */
  release(): void;
}

export class IntakeAdmission {
  private requests = 0;
  private bytes = 0;

  constructor(
    readonly maxRequests: number,
    readonly maxBytes: number,
  ) {}

  /** A slot for a request whose body (`bytes`) has arrived whole, or undefined when the receivers are full. */
  admit(bytes: number): Admitted | undefined {
    if (this.requests >= this.maxRequests || !this.fits(bytes)) return undefined;
    this.requests++;
    return this.hold(bytes, true);
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
    return `${this.requests} requests (${Math.round(this.bytes / 1024)} KiB) are already being received, the limit is ${this.maxRequests} requests or ${Math.round(this.maxBytes / 1024)} KiB; retry shortly`;
  }

  // One request larger than the whole budget is still taken when nothing else is in flight.
  private fits(bytes: number): boolean {
    return this.bytes === 0 || this.bytes + bytes <= this.maxBytes;
  }
}
