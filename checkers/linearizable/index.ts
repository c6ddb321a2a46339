// The linearizability checker's public surface: pair a history into
// operations, check them against a model, and find models by name.

export { checkLinearizable, checkLinearizableParallel } from './check.js';
export { HistoryShapeError } from './history-shape-error.js';
export { isModelName, modelByName, modelNames, type ModelName, type ModelOptions } from './models/registry.js';
export { historyToOperations } from './operations.js';
export type {
  LinearizabilityOptions,
  LinearizabilityResult,
  LinOp,
  Model,
  OpConversion,
  PartitionFailure,
} from './types.js';
