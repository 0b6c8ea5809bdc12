import { describe, expect, it } from 'vitest';
import { NwbFormatError, ParameterError, SpyglassError, StoreError, WorkerError } from '../src/index.js';

describe('typed errors carry a written-out name and a stable code', () => {
  it.each([
    [new ParameterError('window', 'a positive number', -1), 'ParameterError', 'E_PARAMETER'],
    [new NwbFormatError('a.nwb', '/acquisition', 'a group'), 'NwbFormatError', 'E_NWB_FORMAT'],
    [new StoreError('locked'), 'StoreError', 'E_STORE'],
    [new WorkerError('worker.js failed to load'), 'WorkerError', 'E_WORKER'],
    [new SpyglassError('E_NODE_ONLY', 'needs Node'), 'SpyglassError', 'E_NODE_ONLY'],
  ])('%s', (err, name, code) => {
    expect(err).toBeInstanceOf(SpyglassError);
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
    expect(String(err)).toBe(`${name}: ${err.message}`);
    expect(err.stack?.split('\n')[0]).toBe(`${name}: ${err.message}`);
  });

  it('the name lives on the prototype, so a renamed (minified) class keeps it', () => {
    expect(Object.hasOwn(new ParameterError('x', 'y'), 'name')).toBe(false);
    expect(ParameterError.prototype.name).toBe('ParameterError');
  });

  it("another package's subclass without a written-out name is called by its class name", () => {
    class UsageError extends ParameterError {}
    expect(new UsageError('--x', 'a number', 'a').name).toBe('UsageError');
    class OwnError extends SpyglassError {}
    expect(new OwnError('E_OWN', 'm').name).toBe('OwnError');
  });
});
