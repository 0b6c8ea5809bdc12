// The Web Worker: one NwbApi behind comlink. Files are read through WORKERFS (no copy) and URLs by
// synchronous Range requests, both of which only work off the main thread.
import { loadH5wasm } from '@spyglass-wasm/nwb-io';
import * as Comlink from 'comlink';
import { NwbApi } from './nwb-api.js';

// Start fetching and compiling h5wasm (4.8 MB) now, while the page asks for a file and the first
// Range requests go out, instead of after them; open() awaits the same promise (and its error).
loadH5wasm().catch(() => {});
Comlink.expose(new NwbApi());
