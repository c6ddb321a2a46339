import { describe, expect, test } from 'vitest';
import { AssertionError } from '../../core/assert.js';
import {
  linkModeChecked,
  linkModeDelay,
  linkModeDescribe,
  linkModeLoss,
  lossResetShareDefault,
  type LinkMode,
} from './link-mode.js';

describe('link modes', () => {
  test.each<{ mode: LinkMode; text: string }>([
    { mode: { kind: 'pass' }, text: 'pass' },
    { mode: { kind: 'blackhole' }, text: 'blackhole' },
    { mode: { kind: 'reset' }, text: 'reset' },
    { mode: linkModeDelay(50), text: 'delay 50ms' },
    { mode: linkModeDelay(50, 10), text: 'delay 50ms +0..10ms' },
    { mode: linkModeLoss(0.2), text: 'loss 0.2 (spike 200ms, reset 0.01)' },
  ])('describes $text', ({ mode, text }) => {
    expect(linkModeDescribe(mode)).toBe(text);
  });

  test('a lossy link resets only a small share of the chunks it loses', () => {
    const mode = linkModeLoss(0.5);
    expect(mode).toMatchObject({ kind: 'loss', probability: 0.5, resetProbability: 0.5 * lossResetShareDefault });
  });

  test.each<LinkMode>([
    { kind: 'delay', baseMs: -1, jitterMs: 0 },
    { kind: 'delay', baseMs: 10, jitterMs: Number.NaN },
    { kind: 'loss', probability: 1.5, spikeMs: 200, resetProbability: 0 },
    { kind: 'loss', probability: 0.1, spikeMs: 200, resetProbability: -0.1 },
    { kind: 'loss', probability: 0.1, spikeMs: -5, resetProbability: 0 },
  ])('rejects the impossible mode %o as a programmer error', (mode) => {
    expect(() => linkModeChecked(mode)).toThrow(AssertionError);
  });
});
