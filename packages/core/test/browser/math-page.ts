// Evaluates core's elementary functions (and the engine's Math.*) in the browser for math.test.ts.
import { valueBits } from '../math-cases.js';

(window as unknown as Record<string, unknown>).valueBits = valueBits;
