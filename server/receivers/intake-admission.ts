// Back-pressure shared by every receiver (HTTP ports and gRPC): requests and their bytes being received
// at once are both capped. A request beyond either cap is refused at once (HTTP 503 + Retry-After, gRPC
// UNAVAILABLE + RetryInfo: exporters retry both) instead of waiting in a queue that could grow without bound.

export interface Admitted {
  /** The request's size once known (a body sent without Content-Length, a gRPC message); false when it does not fit. */
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

  /** A slot for a request announcing `bytes` (0 when unknown), or undefined when the receivers are full. */
  admit(bytes: number): Admitted | undefined {
    if (this.requests >= this.maxRequests || !this.fits(bytes)) return undefined;
    this.requests++;
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
        this.requests--;
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
