// The models by name, as the command line, campaign files and VERDICTS.tsv
// spell them. A model is a plain object; adding one is adding a line here.

import type { JsonValue } from '../../../core/history.js';
import type { Model } from '../types.js';
import { casRegisterModel } from './cas-register.js';
import { etcdRegisterModel } from './etcd-register.js';
import { kvAppendModel } from './kv-append.js';
import { listAppendModel } from './list-append.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { setModel } from './set.js';

export interface ModelOptions {
  /** The initial register value (cas-register: default 0; etcd-register: default nil). */
  readonly initial?: JsonValue;
}

type AnyModel = Model<unknown, unknown, unknown>;

const factories = {
  'cas-register': (options) => casRegisterModel(options),
  'etcd-register': (options) => etcdRegisterModel(options),
  'kv-append': () => kvAppendModel(),
  'multi-register': () => multiRegisterModel(),
  mutex: () => mutexModel(),
  'list-append': () => listAppendModel(),
  set: () => setModel(),
} as const satisfies Readonly<Record<string, (options: ModelOptions) => AnyModel>>;

export type ModelName = keyof typeof factories;

export const modelNames: readonly ModelName[] = Object.freeze(Object.keys(factories) as ModelName[]);

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(factories, name);
}

/** The model with this name, or undefined for a name not in modelNames. It carries its origin, for worker threads. */
export function modelByName(name: string, options: ModelOptions = {}): AnyModel | undefined {
  if (!isModelName(name)) return undefined;
  const origin = { name, options: options.initial === undefined ? {} : { initial: options.initial } };
  // Added in place: a model's identity matters (isListAppendModel).
  return Object.assign(factories[name](options), { origin });
}
