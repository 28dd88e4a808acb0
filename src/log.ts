// Structured, levelled logging: constant messages, data in fields, one JSON line per entry on stderr.
export type Level = 'debug' | 'info' | 'warn' | 'error';

const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every entry, e.g. the component name. */
  with(fields: Record<string, unknown>): Logger;
  enabled(level: Level): boolean;
}

export function createLogger(options: {
  level?: Level;
  write?: (line: string) => void;
  fields?: Record<string, unknown>;
}): Logger {
  const min = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = options.fields ?? {};
  const entry =
    (level: Level) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (order[level] < min) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
    };
  return {
    debug: entry('debug'),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
    with: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
    enabled: (level) => order[level] >= min,
  };
}
