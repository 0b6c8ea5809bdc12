export { commonReference, commonAverageReference, type CommonReferenceOptions } from './common-reference.js';
export { madNoiseLevel } from './noise-level.js';
export { whiten, type WhitenOptions, type Whitened } from './whiten.js';
