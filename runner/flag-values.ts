// What the option parsers of `test` and `bench` share: the error a bad flag
// throws (caught once at the parser's edge and returned as a message) and the
// checks of a choice and of an integer in a range, each naming the flag.

/** A flag's value is wrong; the message names the flag and the value. */
export class FlagError extends Error {}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new FlagError(`${flag}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function integer(flag: string, text: string, low: number, high: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < low || value > high)
    throw new FlagError(`${flag}: expected an integer from ${low} to ${high}, got "${text}"`);
  return value;
}
