import { describe, expect, test } from 'vitest';
import { ednRead, ednReadOne } from './edn-reader.js';

function valueOf(text: string): unknown {
  const read = ednReadOne(text);
  if (!read.ok) throw new Error(`unexpected parse error: ${read.error.message}`);
  return read.value;
}

function problemOf(text: string): { line: number; column: number | null; message: string } {
  const read = ednRead(text);
  if (read.ok) throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
  return read.error;
}

describe('the EDN reader', () => {
  test.each([
    ['nil', null],
    ['true', true],
    ['false', false],
    ['42', 42],
    ['-7', -7],
    ['+3', 3],
    ['12N', 12],
    ['1.5', 1.5],
    ['-2.5e3', -2500],
    ['1e+21', 1e21],
    [':read', 'read'],
    [':timed-out', 'timed-out'],
    [':jepsen/op', 'jepsen/op'],
    ['some-symbol', 'some-symbol'],
    ['"x 21 1 y"', 'x 21 1 y'],
    ['"quote \\" backslash \\\\ newline \\n \\u0041"', 'quote " backslash \\ newline \n A'],
    ['\\a', 'a'],
    ['\\newline', '\n'],
    ['[1 2 3]', [1, 2, 3]],
    ['(1, 2, 3)', [1, 2, 3]],
    ['#{:a}', ['a']],
    [
      '[[:read :x nil] [:write :y 2]]',
      [
        ['read', 'x', null],
        ['write', 'y', 2],
      ],
    ],
    ['{:process 1, :type :ok, :value [0 4]}', { process: 1, type: 'ok', value: [0, 4] }],
    ['{"k" 1, 2 :two}', { k: 1, '2': 'two' }],
    ['[1 #_ 2 3]', [1, 3]],
    ['#inst "2024-01-01T00:00:00Z"', '2024-01-01T00:00:00Z'],
    ['#jepsen.history.Op{:index 0, :f :read}', { index: 0, f: 'read' }],
  ])('reads %s', (text, expected) => {
    expect(valueOf(text)).toEqual(expected);
  });

  test('skips comments, commas and blank lines between forms', () => {
    const read = ednRead('; header\n\n{:a 1},\n  ; between\n{:b 2} ; trailing\n');
    expect(read.ok && read.forms.map((form) => form.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('records where each top-level form and each element of a top-level collection starts', () => {
    const read = ednRead('[{:a 1}\n ; note\n {:b\n  2}]');
    if (!read.ok) throw new Error(read.error.message);
    expect(read.forms[0]?.position).toEqual({ line: 1, column: 1 });
    expect(read.forms[0]?.elementPositions).toEqual([
      { line: 1, column: 2 },
      { line: 3, column: 2 },
    ]);
  });

  test('keeps a map key named __proto__ as an ordinary key', () => {
    expect(Object.keys(valueOf('{"__proto__" 1}') as object)).toEqual(['__proto__']);
  });

  test.each([
    ['[1 2', 1, 1, 'never closed'],
    ['{:a 1\n :b}', 2, 2, 'has no value'],
    ['{:a 1 :a 2}', 1, 7, 'duplicate map key "a"'],
    ['[1 2)', 1, 5, 'expected "]"'],
    ['\n\n  "abc', 3, 3, 'string is never closed'],
    ['[1 99999999999999999999]', 1, 4, 'too large'],
    ['[0x1F]', 1, 2, 'bad number'],
    ['"\\q"', 1, 2, 'unknown string escape'],
    ['{[1] 2}', 1, 2, 'map key must be'],
    ['#?(:clj 1)', 1, 1, 'unsupported dispatch'],
    [')', 1, 1, 'no matching opening bracket'],
    ['[:]', 1, 2, 'bad keyword'],
  ])('refuses %j at line %i column %i', (text, line, column, message) => {
    const problem = problemOf(text);
    expect({ line: problem.line, column: problem.column }).toEqual({ line, column });
    expect(problem.message).toContain(message);
  });

  test('refuses nesting deeper than its bound instead of overflowing the stack', () => {
    expect(problemOf('['.repeat(5000)).message).toContain('nested deeper');
  });

  test('reading one value refuses trailing forms', () => {
    const read = ednReadOne('1 2');
    expect(read.ok).toBe(false);
  });
});
