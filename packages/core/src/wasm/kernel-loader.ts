import { decodeBase64 } from './base64.js';
import { WasmHeap } from './wasm-heap.js';

/** Exports every kernel module has (see the `heapBase` export in each package's assembly/index.ts). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

export interface Kernels<E extends CoreExports> {
  exports: E;
  heap: WasmHeap;
}

/**
 * Loads one package's AssemblyScript kernels from the base64 text embedded at build time, so the
 * .wasm travels inside the JavaScript bundle and needs no fetch, fs or bundler plugin.
 * One instance per thread (each worker loads its own).
 */
export class KernelLoader<E extends CoreExports> {
  readonly name: string;
  private readonly base64: string;
  private bytesCache?: Uint8Array;
  private module?: WebAssembly.Module;
  private kernels?: Kernels<E>;

  constructor(name: string, base64: string) {
    this.name = name;
    this.base64 = base64;
  }

  /** The .wasm bytes (hashed by provenance as the step's code version). */
  get bytes(): Uint8Array {
    return (this.bytesCache ??= decodeBase64(this.base64));
  }

  /** Compiles asynchronously; required once on a browser main thread before sync use. */
  async ready(): Promise<Kernels<E>> {
    if (!this.kernels) {
      this.module ??= await WebAssembly.compile(this.bytes as BufferSource);
      this.instantiate();
    }
    return this.kernels!;
  }

  /** The instantiated kernels; compiles synchronously on first use (Node, workers). */
  get(): Kernels<E> {
    if (!this.kernels) {
      try {
        this.module ??= new WebAssembly.Module(this.bytes as BufferSource);
      } catch (err) {
        throw new Error(
          `${this.name}: synchronous WebAssembly compile failed (on a browser main thread, await ready() first)`,
          { cause: err },
        );
      }
      this.instantiate();
    }
    return this.kernels!;
  }

  private instantiate(): void {
    const name = this.name;
    // Set once the instance exists; the abort import, made before it, reads it.
    // eslint-disable-next-line prefer-const
    let memory: WebAssembly.Memory | undefined;
    const imports = {
      env: {
        abort(msg: number, file: number, line: number, col: number) {
          throw new Error(
            `${name}: wasm abort at ${readString(memory, file)}:${line}:${col}: ${readString(memory, msg)}`,
          );
        },
      },
    };
    const instance = new WebAssembly.Instance(this.module!, imports);
    const exports = instance.exports as unknown as E;
    memory = exports.memory;
    this.kernels = { exports, heap: new WasmHeap(exports.memory, exports.heapBase()) };
  }
}

/** Reads an AssemblyScript string (UTF-16, length in the header word before it). */
function readString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || !ptr) return '';
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, Math.min(len, 512)));
}
