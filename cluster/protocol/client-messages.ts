// The client protocol: what a client (a workload, the CLI) sends the writer
// and what it gets back, one JSON message per frame. Every request carries an
// id chosen by the client; responses may come back in any order.

import type { StoreErrorCode } from './errors.js';

/** A register value or a list element. */
export type StoreValue = number | string;

export type ClientRequest =
  | { readonly t: 'read'; readonly id: number; readonly key: string }
  | { readonly t: 'write'; readonly id: number; readonly key: string; readonly value: StoreValue }
  | {
      readonly t: 'cas';
      readonly id: number;
      readonly key: string;
      readonly from: StoreValue | null;
      readonly to: StoreValue;
    }
  | { readonly t: 'append'; readonly id: number; readonly key: string; readonly value: StoreValue }
  | { readonly t: 'read-list'; readonly id: number; readonly key: string }
  | { readonly t: 'health'; readonly id: number }
  /** Tells a standby writer to take over: it runs recovery with an epoch bump, then opens for clients. */
  | { readonly t: 'promote'; readonly id: number };

export type ClientResponse =
  | { readonly t: 'ok'; readonly id: number; readonly value?: StoreValue | readonly StoreValue[] | null | WriterHealth }
  | {
      readonly t: 'error';
      readonly id: number;
      readonly code: StoreErrorCode;
      readonly definite: boolean;
      readonly message: string;
    };

/** The writer's answer to `health`: readiness and the durability points. */
export interface WriterHealth {
  readonly role: 'writer' | 'standby' | 'recovering';
  readonly ready: boolean;
  readonly epoch: number;
  readonly vdl: number;
  readonly vcl: number;
  readonly lsnNext: number;
}
