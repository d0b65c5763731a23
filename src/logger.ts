/**
 * The process logger: pino JSON lines, or human-readable text when writing to a terminal.
 * Fields that could carry a secret are redacted wherever they appear in a log object.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  readonly format: 'auto' | 'json' | 'pretty';
  /** Where lines go; stdout when absent. Tests pass an in-memory stream. */
  readonly destination?: DestinationStream;
}

/** Any object field with one of these names is replaced by "[redacted]" before it is written. */
const REDACTED_PATHS = [
  'password',
  'new_password',
  'current_password',
  'admin_password',
  'token',
  'authorization',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.admin_password',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const destination =
    options.destination ??
    (usePretty ? pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true }) : undefined);
  const settings = {
    level: options.level,
    base: { service: 'stellar' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
