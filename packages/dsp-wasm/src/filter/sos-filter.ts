import {
  checkChoice,
  checkNumber,
  type Backend,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { ParameterError } from '@spyglass-wasm/core';
import { checkOptionNames } from '@spyglass-wasm/core';
import { type Precision, checkSos } from './sos.js';
import { sosfiltWithState } from './sosfilt.js';

/**
 * A causal SOS filter over a stream of (time × channels) chunks that carries its state from one
 * chunk to the next: any chunking gives the same output as one `sosfilt` call over the whole in
 * the same precision. Computes in float64 unless `precision: 'float32'`: a stream cannot try its
 * data first, and every chunk must use the same arithmetic.
 *
 * @example
 * const f = new SosFilter(butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 }), 64);
 * for await (const chunk of series.chunks({ rowsPerChunk: 30000 })) write(f.process(chunk));
 */
export class SosFilter {
  readonly sos: Float64Array;
  readonly channels: number;
  private readonly options: { backend?: Backend; precision?: Precision };
  private zi: Float64Array;

  constructor(
    sos: ArrayLike<number>,
    channels: number,
    options: { zi?: ArrayLike<number>; backend?: Backend; precision?: Precision } = {},
  ) {
    checkOptionNames('SosFilter', options, ['zi', 'backend', 'precision']);
    if (options.precision !== undefined) checkChoice('precision', options.precision, ['float64', 'float32'] as const);
    const nsec = checkSos(sos);
    this.sos = Float64Array.from(sos);
    this.channels = checkNumber('channels', channels, { min: 1, integer: true });
    this.options = { backend: options.backend, precision: options.precision };
    this.zi = options.zi ? Float64Array.from(options.zi) : new Float64Array(nsec * channels * 2);
    if (this.zi.length !== nsec * channels * 2)
      throw new ParameterError('zi', `nsec × channels × 2 = ${nsec * channels * 2} values`, options.zi);
  }

  /** Filters the next chunk; returns the same kind and dtype. */
  process<T extends FloatArray>(chunk: T): T;
  process<T extends FloatArray>(chunk: MatrixInput<T>): Matrix<T>;
  process<T extends FloatArray>(chunk: MatrixInput<T>): T | Matrix<T> {
    const cols = ArrayBuffer.isView(chunk) ? 1 : 'cols' in chunk ? chunk.cols : (chunk.shape[1] ?? 1);
    if (cols !== this.channels) throw new ParameterError('chunk', `${this.channels} channels`, `${cols} channels`);
    const { y, zf } = sosfiltWithState(this.sos, chunk, { ...this.options, zi: this.zi });
    this.zi = zf;
    return y;
  }

  /** The current state (nsec × channels × 2). */
  get state(): Float64Array {
    return this.zi.slice();
  }

  /** Back to the zero state. */
  reset(): void {
    this.zi.fill(0);
  }
}
