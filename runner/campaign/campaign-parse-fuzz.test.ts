import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { fuzzCases, fuzzFirstFailure, fuzzInputs } from '../../core/test-support/fuzz.js';
import { campaignParse } from './campaign-parse.js';

// The campaign parser, fed mutations of the shipped campaign files: a campaign
// or errors naming the file, never a throw or a hang.

const root = path.resolve(import.meta.dirname, '../..');
const valid = ['smoke.json', 'bugs.json', 'hunt.json'].map((file) =>
  readFileSync(path.join(root, 'campaigns', file), 'utf8'),
);

describe('campaign files under fuzzing', () => {
  it(`${fuzzCases} mutated files each give a campaign or errors naming the file`, () => {
    const clock = clockCreate();
    const failure = fuzzFirstFailure(
      fuzzInputs(valid),
      (text) => {
        const parsed = campaignParse(text, 'c.json');
        if (!parsed.ok && !parsed.error.split('\n').every((line) => line.startsWith('c.json')))
          throw new Error(`error not naming the file: ${parsed.error}`);
        return parsed;
      },
      () => clock.nowMs(),
    );
    expect(failure, failure?.input.slice(0, 300)).toBeNull();
  }, 60_000);
});
