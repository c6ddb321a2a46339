// The log format of every store process: one line per event,
// `<iso time> <LEVEL> <node> <message>`. The workbench's node-log checker reads
// these files: a FATAL line (an assertion failure or a crash) makes a run
// invalid, and `data-loss:` lines are reported as such.

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** An assertion failure or crash: the process exits after logging it. */
  fatal(message: string): void;
  /** Data the node should have but cannot recover; the checkers report it. */
  dataLoss(message: string): void;
}

export function loggerCreate(
  node: string,
  write: (line: string) => void = (line) => process.stdout.write(line),
  debugEnabled = false,
): Logger {
  const emit = (level: LogLevel, message: string): void => {
    write(`${new Date().toISOString()} ${level} ${node} ${message.replaceAll('\n', ' | ')}\n`);
  };
  return {
    debug: (message) => {
      if (debugEnabled) emit('DEBUG', message);
    },
    info: (message) => emit('INFO', message),
    warn: (message) => emit('WARN', message),
    error: (message) => emit('ERROR', message),
    fatal: (message) => emit('FATAL', message),
    dataLoss: (message) => emit('ERROR', `data-loss: ${message}`),
  };
}

/** Parses one log line; null for lines of another shape (a stack trace's continuation, say). */
export function logLineParse(line: string): { time: string; level: LogLevel; node: string; message: string } | null {
  const match = /^(\S+) (DEBUG|INFO|WARN|ERROR|FATAL) (\S+) (.*)$/.exec(line);
  if (!match) return null;
  return { time: match[1]!, level: match[2] as LogLevel, node: match[3]!, message: match[4]! };
}
