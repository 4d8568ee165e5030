// hazelcast-client logs through an ILogger of its own (to the console by default); this one sends its
// lines to the node's pino logger, so the client never writes to stdout directly. pino's level filters.
import { LogLevel, type ILogger } from 'hazelcast-client';
import type { Logger } from 'pino';

type PinoLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

const LEVELS: Record<number, PinoLevel | undefined> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.TRACE]: 'trace',
};

export function pinoHazelcastLogger(log: Logger): ILogger {
  const write = (level: PinoLevel, objectName: string, message: string, furtherInfo?: unknown) => {
    const fields: Record<string, unknown> = { hz: objectName };
    if (furtherInfo instanceof Error) fields.err = furtherInfo;
    else if (furtherInfo !== undefined && furtherInfo !== null) fields.info = furtherInfo;
    log[level](fields, message);
  };
  return {
    log: (level, objectName, message, furtherInfo) => {
      const pinoLevel = LEVELS[level];
      if (pinoLevel !== undefined) write(pinoLevel, objectName, message, furtherInfo);
    },
    error: (o, m, f) => write('error', o, m, f),
    warn: (o, m, f) => write('warn', o, m, f),
    info: (o, m, f) => write('info', o, m, f),
    debug: (o, m, f) => write('debug', o, m, f),
    trace: (o, m, f) => write('trace', o, m, f),
  };
}
