import { describe, expect, it } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { fuzzCases, fuzzFirstFailure, fuzzInputs } from '../../core/test-support/fuzz.js';
import { historyParse } from './history-format.js';

// Every history format's parser, fed mutations of valid files: each input ends
// in events or one problem with a line, never a throw or a hang.

const valid = {
  jsonl: [
    [
      '{"index":0,"type":"invoke","f":"write","key":"k","value":1,"process":0,"time":1}',
      '{"index":1,"type":"ok","f":"write","key":"k","value":1,"process":0,"time":2}',
      '{"index":2,"type":"invoke","f":"read","key":"k","value":null,"process":1,"time":3}',
      '{"index":3,"type":"info","f":"read","key":"k","value":null,"process":1,"time":4,"error":"timeout"}',
    ].join('\n'),
  ],
  edn: [
    '{:type :invoke, :f :write, :value 1, :process 0, :time 1}\n{:type :ok, :f :write, :value 1, :process 0, :time 2}\n',
    '[{:type :invoke :f :cas :value [1 2] :process 3 :index 0} {:type :fail :f :cas :value [1 2] :process 3 :index 1}]',
  ],
  'jepsen-log': [
    'INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO  jepsen.util - 2\t:ok\t:cas\t[3 0]\nINFO  jepsen.util - 4\t:info\t:write\t:timed-out\n',
  ],
} as const;

describe('history parsers under fuzzing', () => {
  it.each(Object.keys(valid) as (keyof typeof valid)[])(
    `%s: ${fuzzCases} mutated files each give events or a problem with a line`,
    (format) => {
      const clock = clockCreate();
      for (const sample of valid[format]) expect(historyParse(sample, format).ok, sample).toBe(true);
      const failure = fuzzFirstFailure(
        fuzzInputs(valid[format]),
        (text) => {
          const parsed = historyParse(text, format);
          if (!parsed.ok && !(parsed.error.line >= 1 && parsed.error.message.length > 0))
            throw new Error(`a problem without a line or a message: ${JSON.stringify(parsed.error)}`);
          return parsed;
        },
        () => clock.nowMs(),
      );
      expect(failure, failure?.input.slice(0, 300)).toBeNull();
    },
    30_000,
  );
});
