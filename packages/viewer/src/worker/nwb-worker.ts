// The Web Worker: one NwbApi behind comlink. Files are read through WORKERFS (no copy) and URLs by
// synchronous Range requests, both of which only work off the main thread.
import * as Comlink from 'comlink';
import { NwbApi } from './nwb-api.js';

Comlink.expose(new NwbApi());
