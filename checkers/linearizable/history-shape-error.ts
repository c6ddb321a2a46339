// The error for a history whose shape the checker cannot use: two open
// invocations on one process, a completion without an invocation, or a value
// a model cannot read. It names the event so the user can find the line.

export class HistoryShapeError extends Error {
  override readonly name = 'HistoryShapeError';

  constructor(
    /** The event's `index` field (its position in the history file). */
    readonly eventIndex: number,
    detail: string,
  ) {
    super(`event ${eventIndex}: ${detail}`);
  }
}
