export { fft, type FftOptions } from './fft.js';
export { hilbert, envelope, instantaneousPhase, type AnalyticSignal, type AnalyticOptions } from './hilbert.js';
export { welch, type WelchOptions } from './welch.js';
export { getWindow, type WindowSpec } from './windows.js';
