// Seeded mutations of valid inputs for the parsers' fuzz tests: truncation,
// byte flips, inserted and doubled pieces, values of the wrong type, huge
// numbers and deep nesting. `npm test` runs a few hundred cases per parser;
// QUORUMLAB_FUZZ_CASES raises the count (the nightly job runs 20000).

import { prngCreate, type Prng } from '../prng.js';

const casesDefault = 300;
const casesMax = 1_000_000;
const nestingDepth = 20_000;

/** Cases per parser: small in `npm test`, QUORUMLAB_FUZZ_CASES for a longer run. */
export const fuzzCases = fuzzCasesOf(process.env['QUORUMLAB_FUZZ_CASES']);
/** The seed of the mutations; QUORUMLAB_FUZZ_SEED replays a failure reported with its seed. */
export const fuzzSeed = Number(process.env['QUORUMLAB_FUZZ_SEED'] ?? '1');
/** Bound on one parse of one input: a parser that takes longer is taken to hang. */
export const fuzzCaseMsMax = 2000;

function fuzzCasesOf(text: string | undefined): number {
  const count = text === undefined ? casesDefault : Number(text);
  return Number.isSafeInteger(count) && count > 0 ? Math.min(count, casesMax) : casesDefault;
}

type Mutation = (text: string, prng: Prng) => string;

const pieces = ['{', '}', '[', ']', '"', ':', ',', '\n', '\\', '#', ';', 'nil', '\u0000', '\uffff', ' ', '(', ')'];
const wrongValues = ['null', '[]', '{}', '-1', '1.5', '"x"', 'true', '1e308', '1e999', '99999999999999999999', '""'];

const mutations: readonly Mutation[] = [
  (text, prng) => text.slice(0, prng.int(text.length + 1)),
  (text, prng) => {
    const at = prng.int(Math.max(text.length, 1));
    return `${text.slice(0, at)}${String.fromCharCode(prng.int(256))}${text.slice(at + 1)}`;
  },
  (text, prng) => {
    const at = prng.int(text.length + 1);
    return `${text.slice(0, at)}${pieces[prng.int(pieces.length)]}${text.slice(at)}`;
  },
  (text, prng) => {
    const from = prng.int(text.length + 1);
    const to = Math.min(text.length, from + prng.int(64));
    return `${text.slice(0, to)}${text.slice(from, to).repeat(1 + prng.int(50))}${text.slice(to)}`;
  },
  (text, prng) => replaceOne(text, /"[^"\\]*"|-?\d+(\.\d+)?/g, wrongValues[prng.int(wrongValues.length)]!, prng),
  (text, prng) => replaceOne(text, /\d+/g, prng.chance(0.5) ? '99999999999999999999999' : '1e308', prng),
  (text, prng) => {
    const [open, close] = prng.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    const depth = 1 + prng.int(nestingDepth);
    const at = prng.int(text.length + 1);
    return `${text.slice(0, at)}${open.repeat(depth)}1${close.repeat(prng.chance(0.5) ? depth : 0)}${text.slice(at)}`;
  },
];

/** `count` inputs made from `valid` by one to three mutations each, the same for the same seed. */
export function fuzzInputs(valid: readonly string[], count: number = fuzzCases, seed: number = fuzzSeed): string[] {
  const prng = prngCreate(seed);
  const inputs: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = valid[prng.int(valid.length)]!;
    const rounds = 1 + prng.int(3);
    for (let round = 0; round < rounds; round++) text = mutations[prng.int(mutations.length)]!(text, prng);
    inputs.push(text);
  }
  return inputs;
}

function replaceOne(text: string, pattern: RegExp, replacement: string, prng: Prng): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const match = matches[prng.int(matches.length)]!;
  return `${text.slice(0, match.index)}${replacement}${text.slice(match.index + match[0].length)}`;
}

/** Runs `parse` on each input; returns the first input that threw or took too long, with what happened. */
export function fuzzFirstFailure(
  inputs: readonly string[],
  parse: (text: string) => { readonly ok: boolean },
  nowMs: () => number,
): { readonly input: string; readonly problem: string } | null {
  for (const input of inputs) {
    const startMs = nowMs();
    try {
      const result = parse(input);
      if (typeof result.ok !== 'boolean') return { input, problem: `no ok field: ${JSON.stringify(result)}` };
    } catch (error) {
      return { input, problem: `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
    }
    const tookMs = nowMs() - startMs;
    if (tookMs > fuzzCaseMsMax) return { input, problem: `took ${tookMs} ms` };
  }
  return null;
}
