// A bad flag, config or input file: reported in one line, exit code 3.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
