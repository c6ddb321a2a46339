// Branded identifiers: plain numbers and strings at run time, distinct types at
// compile time, so that an LSN is never passed where a process id is expected.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/**
 * A value as it travels on the wire, with every branded number a plain one: what
 * a test that speaks the raw protocol writes. The receiving side brands it again
 * when it parses the frame.
 */
export type Unbranded<T> = T extends number
  ? number
  : T extends string | boolean | null | undefined
    ? T
    : T extends readonly (infer E)[]
      ? readonly Unbranded<E>[]
      : { readonly [K in keyof T]: Unbranded<T[K]> };
