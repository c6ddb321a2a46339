// Branded identifiers: plain numbers and strings at run time, distinct types at
// compile time, so that an LSN is never passed where a process id is expected.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
