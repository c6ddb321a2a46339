// The JSON Schema of a campaign file: a name, defaults, and a matrix of entries
// (workloads x nemeses x runtimes x seeds x bug sets x time limits, each entry
// with its expected verdict). Names come from the registries of this build, so
// a typo is caught before an hour of tests starts. `quorumlab campaign --schema`
// prints it for editors.

import { bugNames } from '../../cluster/config.js';
import { workloadNames } from '../../workloads/workload.js';
import { runtimeNames, standbyWritersMax } from '../test-options.js';

export const verdictsExpected = ['valid', 'invalid', 'unknown'] as const;
export type VerdictExpected = (typeof verdictsExpected)[number];

/** "1..100": the seeds from the first to the last, both included. */
export const seedRangePattern = '^[0-9]{1,10}\\.\\.[0-9]{1,10}$';
export const campaignTypes = ['matrix', 'hunt'] as const;
export const huntExpects = ['caught', 'not-caught'] as const;
export type HuntExpect = (typeof huntExpects)[number];

/**
 * The variables a campaign's `env` may set, each read by the store's nodes. The workbench's own (the run
 * marker QUORUMLAB_RUN_ID, QUORUMLAB_OWNER_PID, ...) are not among them: a test that set those would be
 * taken for another run's leftover by `cleanup`.
 */
export const campaignEnvNames = ['QUORUMLAB_STORAGE_SYNC_DELAY_MS', 'QUORUMLAB_DEBUG'] as const;

const safeName = '^[A-Za-z0-9][A-Za-z0-9._+-]{0,59}$';
const duration = { type: 'string', description: 'a duration: 30s, 1500ms, 2m, 1h' } as const;

/** Options of a test that an entry may set and the defaults may give for every entry. */
const testFields = {
  concurrency: { type: 'integer', minimum: 1, maximum: 1024, description: 'client processes (closed loop)' },
  keys: { type: 'integer', minimum: 1, maximum: 100000 },
  rate: { type: 'number', exclusiveMinimum: 0, description: 'open loop: invocations per second' },
  opsLimit: { type: 'integer', minimum: 1 },
  nemesisInterval: duration,
  nemesisSchedule: { type: 'string', minLength: 1, description: 'fixed, random (from the seed) or a schedule file' },
  opTimeout: duration,
  pgs: { type: 'integer', minimum: 1, maximum: 1024 },
  cache: { enum: ['on', 'off'] },
  standbyWriters: {
    type: 'integer',
    minimum: 0,
    maximum: standbyWritersMax,
    description: 'standby writers besides w0; a killed primary fails over to one',
  },
  env: {
    type: 'object',
    additionalProperties: { type: 'string' },
    propertyNames: { enum: [...campaignEnvNames] },
    description:
      'extra environment of the test process and its nodes, only these variables: QUORUMLAB_STORAGE_SYNC_DELAY_MS (milliseconds added to every fdatasync of the storage nodes, a slow device), QUORUMLAB_DEBUG ("1": the writer logs at debug level); e.g. {"QUORUMLAB_STORAGE_SYNC_DELAY_MS": "200"}',
  },
  timeout: {
    ...duration,
    description: 'the test child is stopped (and recorded as crashed) after this; default: time limit + 3m',
  },
} as const;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['workloads'],
  properties: {
    name: { type: 'string', pattern: safeName, description: 'prefix of the test ids of this entry' },
    workloads: { type: 'array', minItems: 1, items: { enum: [...workloadNames] } },
    nemeses: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'each item is one --nemesis value (comma-separated faults allowed); default ["none"]',
    },
    runtimes: { type: 'array', minItems: 1, items: { enum: [...runtimeNames] } },
    seeds: {
      anyOf: [
        { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0, maximum: 4294967295 } },
        { type: 'string', pattern: seedRangePattern, description: 'a range of seeds, both ends included: "1..100"' },
      ],
      description: 'a list of seeds, or a range "FIRST..LAST"; default [1]',
    },
    bugs: {
      type: 'array',
      minItems: 1,
      items: { type: 'array', items: { enum: [...bugNames] } },
      description: 'bug sets, one test per set; [] is no bug; default [[]]',
    },
    timeLimits: { type: 'array', minItems: 1, items: duration },
    expect: { enum: [...verdictsExpected], description: 'default: invalid for a test with a bug set, valid otherwise' },
    ...testFields,
  },
} as const;

export const campaignSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'quorumlab campaign',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'matrix'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: safeName },
    description: { type: 'string' },
    type: {
      enum: [...campaignTypes],
      description:
        'matrix (default): every test, each against its expected verdict; hunt: the tests in order of seed until the first invalid verdict, which is then shrunk',
    },
    hunt: {
      type: 'object',
      additionalProperties: false,
      description: 'settings of a hunt (type "hunt" only)',
      properties: {
        expect: {
          enum: [...huntExpects],
          description: 'what the hunt should end with; default: caught when a test has a bug set, else not-caught',
        },
        shrink: { type: 'boolean', description: 'shrink the caught run (default true)' },
        shrinkAttempts: {
          type: 'integer',
          minimum: 1,
          maximum: 500,
          description: 're-runs of the shrink at most (default 24)',
        },
        shrinkBudget: { ...duration, description: 'no shrink re-run starts after this (default 1h)' },
      },
    },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: { runtime: { enum: [...runtimeNames] }, timeLimit: duration, ...testFields },
    },
    matrix: { type: 'array', minItems: 1, items: entrySchema },
  },
} as const;

/** What the schema admits, as types: validated once, read everywhere after. */
export interface TestFieldsRaw {
  readonly concurrency?: number;
  readonly keys?: number;
  readonly rate?: number;
  readonly opsLimit?: number;
  readonly nemesisInterval?: string;
  readonly nemesisSchedule?: string;
  readonly opTimeout?: string;
  readonly pgs?: number;
  readonly cache?: 'on' | 'off';
  readonly standbyWriters?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeout?: string;
}

export interface CampaignEntryRaw extends TestFieldsRaw {
  readonly name?: string;
  readonly workloads: readonly string[];
  readonly nemeses?: readonly string[];
  readonly runtimes?: readonly string[];
  readonly seeds?: readonly number[] | string;
  readonly bugs?: readonly (readonly string[])[];
  readonly timeLimits?: readonly string[];
  readonly expect?: VerdictExpected;
}

export interface HuntRaw {
  readonly expect?: HuntExpect;
  readonly shrink?: boolean;
  readonly shrinkAttempts?: number;
  readonly shrinkBudget?: string;
}

export interface CampaignRaw {
  readonly name: string;
  readonly description?: string;
  readonly type?: (typeof campaignTypes)[number];
  readonly hunt?: HuntRaw;
  readonly defaults?: TestFieldsRaw & { readonly runtime?: string; readonly timeLimit?: string };
  readonly matrix: readonly CampaignEntryRaw[];
}
