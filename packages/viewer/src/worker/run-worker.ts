// The Web Worker that runs pipeline steps: a RunApi behind comlink. It is separate from the NWB
// worker so the views stay responsive during a run, and a cancel can terminate it outright (the
// engine commits nothing before a step ends, so a killed run leaves no row and no final file).
import * as Comlink from 'comlink';
import { RunApi } from './run-api.js';

Comlink.expose(new RunApi());
