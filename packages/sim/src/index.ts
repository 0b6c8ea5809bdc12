export { createRng, type Rng } from './random/rng.js';
