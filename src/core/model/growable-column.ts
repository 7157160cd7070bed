// A typed column that grows by doubling, for the builder's per-span and per-attribute columns: a
// million spans in JS arrays are millions of heap slots the garbage collector walks again and again
// while a big file loads; typed arrays live outside the JS heap.

type TypedColumn = Uint8Array | Uint32Array | Int32Array | Float64Array;

export interface GrowableColumn<T extends TypedColumn> {
  /** The storage; longer than `length` (reallocated as it grows, so read it afresh). */
  readonly data: T;
  readonly length: number;
  push(value: number): void;
  /** The filled part, without copying. */
  view(): T;
}

const INITIAL = 16;

// One class per element type, so each push() only ever sees one kind of typed array (it is hot).
function columnOf<T extends TypedColumn>(Typed: new (length: number) => T): new (capacity?: number) => GrowableColumn<T> {
  return class {
    data: T;
    length = 0;

    constructor(capacity = INITIAL) {
      this.data = new Typed(capacity);
    }

    push(value: number): void {
      if (this.length === this.data.length) {
        const grown = new Typed(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.data[this.length++] = value;
    }

    view(): T {
      return this.data.subarray(0, this.length) as T;
    }
  };
}

const U8Column = columnOf(Uint8Array);
const U32Column = columnOf(Uint32Array);
const I32Column = columnOf(Int32Array);
const F64Column = columnOf(Float64Array);
export const u8Column = (capacity?: number) => new U8Column(capacity);
export const u32Column = (capacity?: number) => new U32Column(capacity);
export const i32Column = (capacity?: number) => new I32Column(capacity);
export const f64Column = (capacity?: number) => new F64Column(capacity);
