/**
 * Scratch memory for kernels: a bump allocator over the Wasm linear memory above the module's
 * static data. Kernels never allocate themselves (they are built with the stub runtime), so the
 * JavaScript side owns everything from `heapBase` up. Views are re-made on every call because
 * `memory.grow` detaches the old ArrayBuffer.
 *
 * @example
 * const x = heap.scoped(() => {
 *   const p = heap.put(signal);            // copy in
 *   exports.scale(p, signal.length, 2.0);  // run in place
 *   return heap.f64(p, signal.length).slice(); // copy out before the scope is released
 * });
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.base = align(heapBase, 16);
    this.top = this.base;
  }

  /** Reserves `bytes` (16-byte aligned), growing memory when needed; returns the byte offset. */
  alloc(bytes: number): number {
    const ptr = this.top;
    const end = ptr + align(Math.max(bytes, 0), 16);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = end;
    return ptr;
  }

  /** Copies a typed array into fresh scratch memory; returns its byte offset. */
  put(src: ArrayBufferView & ArrayLike<number>): number {
    const ptr = this.alloc(src.byteLength);
    new Uint8Array(this.memory.buffer, ptr, src.byteLength).set(
      new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
    );
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  /** A view of the same element type as `like`. */
  viewLike<T extends Float32Array | Float64Array>(like: T, ptr: number, length: number): T {
    return (like instanceof Float32Array ? this.f32(ptr, length) : this.f64(ptr, length)) as T;
  }

  /** Runs `fn`, then releases everything it allocated (also on throw). */
  scoped<R>(fn: () => R): R {
    const mark = this.top;
    try {
      return fn();
    } finally {
      this.top = mark;
    }
  }

  /** Bytes currently reserved above the static data. */
  get used(): number {
    return this.top - this.base;
  }
}

function align(n: number, to: number): number {
  return (n + to - 1) & ~(to - 1);
}
