import { expect, test } from 'vitest';
import { dockerRuntimeSettings } from '../docker/docker-runtime-options.js';
import { localRuntimeDefaults } from '../local/local-runtime.js';
import { runtimeBoundMsMax, runtimeBoundsParse } from './runtime-options.js';

test.each([
  [{ stopGraceMs: 0 }, 'local stopGraceMs: must be an integer from 1 to 3600000, got 0'],
  [{ writerReadyTimeoutMs: 1.5 }, 'local writerReadyTimeoutMs: must be an integer from 1 to 3600000, got 1.5'],
  // Beyond Node's timer range a wait fires after 1 ms: refused, not shortened.
  [
    { storageReadyTimeoutMs: 1e12 },
    'local storageReadyTimeoutMs: must be an integer from 1 to 3600000, got 1000000000000',
  ],
])('refuses runtime bounds %j, naming the bound and its range', (options, error) => {
  expect(runtimeBoundsParse('local', options, localRuntimeDefaults)).toEqual({ ok: false, error });
});

test('takes every bound up to the largest wait and keeps the defaults of the others', () => {
  const parsed = runtimeBoundsParse('local', { stopGraceMs: runtimeBoundMsMax }, localRuntimeDefaults);
  expect(parsed).toEqual({ ok: true, bounds: { ...localRuntimeDefaults, stopGraceMs: runtimeBoundMsMax } });
});

test('a Docker node port keeps its own range', () => {
  expect(dockerRuntimeSettings({ nodePort: 70000 })).toEqual({
    ok: false,
    error: 'docker nodePort: must be at most 65535, got 70000',
  });
  expect(dockerRuntimeSettings({ nodePort: 7001 })).toMatchObject({ ok: true, settings: { nodePort: 7001 } });
});
