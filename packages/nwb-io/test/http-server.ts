// The Range file server the tests share lives in scripts/ (benchmarks run it from plain Node too).
export { serveFiles } from '../../../scripts/range-server.mjs';
