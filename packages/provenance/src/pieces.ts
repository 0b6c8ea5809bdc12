import { concatArrays, ParameterError } from '@spyglass-wasm/core';
import type { BlobStore, ScratchBlob } from './blobs/blob-store.js';
import { dtypeOf } from './result-file.js';
import type { ArrayPieces, ResultArray, StepContext } from './step.js';

/**
 * An output array written in pieces: to the store (StepContext.pieces) when the runner offers it,
 * else collected in memory, so a step is one code path either way.
 *
 * @example
 * const out = await arrayPieces(ctx, Float32Array, [channels]);
 * for (const block of blocks) await out.append(block);
 * return { arrays: { data: out.done() }, json, summary };
 */
export async function arrayPieces<T extends ResultArray>(
  ctx: StepContext,
  type: new (n: number) => T,
  rowShape: readonly number[],
): Promise<ArrayPieces> {
  if (ctx.pieces) return ctx.pieces(type, rowShape);
  const rowSize = rowSizeOf(rowShape);
  const parts: T[] = [];
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async append(block) {
      rows += rowsOf(block, rowSize);
      parts.push(block.slice() as T);
    },
    done() {
      return { data: concatArrays(parts, type), shape: [rows, ...rowShape] };
    },
  };
}

/**
 * The runner's side of StepContext.pieces: each array in a scratch file of the blob store, named
 * after the result file; `discard` removes them all (after the result file is written, or when
 * the step fails).
 */
export class ScratchPieces {
  private readonly scratches: ScratchBlob[] = [];
  constructor(
    private readonly blobs: BlobStore & Required<Pick<BlobStore, 'scratch'>>,
    private readonly name: string,
  ) {}

  readonly open = async <T extends ResultArray>(
    type: new (n: number) => T,
    rowShape: readonly number[],
  ): Promise<ArrayPieces> => {
    const dtype = dtypeOf(type);
    const rowSize = rowSizeOf(rowShape);
    const scratch = await this.blobs.scratch(`${this.name}.piece${this.scratches.length}`);
    this.scratches.push(scratch);
    let rows = 0,
      length = 0;
    return {
      get rows() {
        return rows;
      },
      async append(block) {
        if (!(block instanceof type)) throw new ParameterError('rows', `a ${type.name}`, block.constructor.name);
        rows += rowsOf(block, rowSize);
        length += block.length;
        await scratch.append(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
      },
      done: () => ({
        pieced: {
          dtype,
          length,
          byteLength: scratch.size,
          read: (offset: number, n: number) => scratch.read(offset, n),
        },
        shape: [rows, ...rowShape],
      }),
    };
  };

  async discard(): Promise<void> {
    for (const s of this.scratches.splice(0)) await s.discard();
  }
}

function rowSizeOf(rowShape: readonly number[]): number {
  if (!rowShape.every((n) => Number.isInteger(n) && n >= 0))
    throw new ParameterError('rowShape', 'non-negative integers', rowShape.join('×'));
  return rowShape.reduce((a, b) => a * b, 1);
}

function rowsOf(block: ResultArray, rowSize: number): number {
  if (rowSize === 0 ? block.length !== 0 : block.length % rowSize !== 0)
    throw new ParameterError('rows', `whole rows of ${rowSize} values`, `${block.length} values`);
  return rowSize === 0 ? 0 : block.length / rowSize;
}
