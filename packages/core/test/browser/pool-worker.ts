// Web Worker (bundled by browser-pool.test.ts): the same exposeWorker call a Node worker makes.
import { exposeWorker } from '../../src/index.js';

const id = Math.random().toString(36).slice(2);
exposeWorker({
  sum(values: Float64Array) {
    let s = 0;
    for (const v of values) s += v;
    return { sum: s, id };
  },
});
