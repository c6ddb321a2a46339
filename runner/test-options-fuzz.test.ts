import { describe, expect, it } from 'vitest';
import { clockCreate } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
import { fuzzCases, fuzzFirstFailure, fuzzInputs, fuzzSeed } from '../core/test-support/fuzz.js';
import { testOptionsParse } from './test-options.js';

// `quorumlab test`'s flags and its --config file, fed mutated values: options
// or one error naming the flag or the file, never a throw or a hang.

const flagsValid: Readonly<Record<string, string>> = {
  timeLimit: '30s',
  concurrency: '8',
  seed: '7',
  keys: '5',
  rate: '100',
  opsLimit: '1000',
  pgs: '2',
  cache: 'on',
  nemesis: 'partition,kill-node',
  nemesisInterval: '5s',
  nemesisSchedule: 'random',
  standbyWriters: '1',
  runtime: 'local',
  name: 'my-test',
  opTimeout: '5s',
  livenessTimeout: '2m',
};
const configValid = JSON.stringify({
  geometry: { azCount: 3, nodesPerAz: 2, writeQuorum: 4, readQuorum: 3, pgCount: 2 },
  bugs: [],
  writer: { cacheEnabled: true },
});

describe('test flags and config files under fuzzing', () => {
  it(`${fuzzCases} mutated flag values each give options or an error naming the flag`, () => {
    const clock = clockCreate();
    const prng = prngCreate(fuzzSeed).fork('flags');
    const keys = Object.keys(flagsValid);
    const failure = fuzzFirstFailure(
      fuzzInputs(Object.values(flagsValid)),
      (value) => {
        const key = keys[prng.int(keys.length)]!;
        const parsed = testOptionsParse(
          { ...flagsValid, [key]: value },
          {
            seedDefault: 1,
            configFile: null,
          },
        );
        if (!parsed.ok && !parsed.error.startsWith('--')) throw new Error(`error not naming a flag: ${parsed.error}`);
        return parsed;
      },
      () => clock.nowMs(),
    );
    expect(failure, failure?.input.slice(0, 300)).toBeNull();
  }, 30_000);

  it(`${fuzzCases} mutated config files each give options or an error naming the file`, () => {
    const clock = clockCreate();
    const failure = fuzzFirstFailure(
      fuzzInputs([configValid]),
      (text) => {
        const parsed = testOptionsParse(
          { runtime: 'memory' },
          { seedDefault: 1, configFile: { path: 'c.json', text } },
        );
        if (!parsed.ok && !parsed.error.includes('c.json'))
          throw new Error(`error not naming the file: ${parsed.error}`);
        return parsed;
      },
      () => clock.nowMs(),
    );
    expect(failure, failure?.input.slice(0, 300)).toBeNull();
  }, 30_000);
});
