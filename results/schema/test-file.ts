// test.json, the schema: what was run (name, seed, command line, versions,
// host) and the options it ran with. The report reads the options named here;
// the rest of the options are kept as written and shown whole in the report.

import type { JsonValue } from '../../core/history.js';
import type { RuntimeName } from '../../runner/test-options.js';
import { runtimeNames } from '../../runner/test-options.js';
import { workloadNames, type WorkloadName } from '../../workloads/workload.js';
import type { Versions } from '../versions.js';
import type { Decoder } from './decode.js';
import { arrayD, jsonD, literalD, nullableD, numberD, objectD, recordD, stringD } from './decode.js';
import type { storedFormat } from './stored-file.js';

/** The options of test.json the report reads (the runner writes all of TestOptions). */
export interface TestFileOptions {
  readonly name: string;
  readonly workload: WorkloadName;
  readonly runtime: RuntimeName;
  readonly nemesis: readonly string[];
  readonly timeLimitMs: number;
  readonly concurrency: number;
  readonly rate: number | null;
  readonly seed: number;
  readonly cluster: { readonly bugs: readonly string[] };
}

export interface TestFile {
  readonly format: typeof storedFormat;
  readonly name: string;
  readonly runId: string;
  readonly seed: number;
  readonly startedAt: string;
  /** process.argv of the run. */
  readonly commandLine: readonly string[];
  readonly versions: Versions;
  readonly host: { readonly platform: string; readonly arch: string; readonly cpus: number };
  readonly options: TestFileOptions;
  /** What the runtime chose (image, subnet), added once the cluster is up. */
  readonly runtime?: Readonly<Partial<Record<string, JsonValue>>>;
  /** The faults of the run and its whole schedule as drawn (the schedule.json beside it), added once it is drawn. */
  readonly nemesis?: { readonly faults: readonly string[]; readonly schedule: JsonValue };
}

const stringsD = arrayD(stringD);

export const testFileD: Decoder<TestFile> = objectD(
  {
    format: literalD(1),
    name: stringD,
    runId: stringD,
    seed: numberD,
    startedAt: stringD,
    commandLine: stringsD,
    versions: objectD({ node: stringD, quorumlab: stringD }),
    host: objectD({ platform: stringD, arch: stringD, cpus: numberD }),
    options: objectD({
      name: stringD,
      workload: literalD(...workloadNames),
      runtime: literalD(...runtimeNames),
      nemesis: stringsD,
      timeLimitMs: numberD,
      concurrency: numberD,
      rate: nullableD(numberD),
      seed: numberD,
      cluster: objectD({ bugs: stringsD }),
    }),
  },
  { runtime: recordD(jsonD), nemesis: objectD({ faults: stringsD, schedule: jsonD }) },
);
