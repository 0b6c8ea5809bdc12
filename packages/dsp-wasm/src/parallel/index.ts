export { createFilterPool } from './filter-pool.js';
export { sosfiltfiltParallel } from './sosfiltfilt-parallel.js';
