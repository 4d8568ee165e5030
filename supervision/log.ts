// The node's pino logger. LOG_LEVEL overrides the level; tests pass 'silent'.
import { pino, type Logger } from 'pino';

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = process.env.LOG_LEVEL ?? opts.level ?? 'info';
  const options = { level, name: opts.name ?? 'dolphin', base: { pid: process.pid } };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

export type { Logger };
