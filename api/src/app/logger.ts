import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** `json`: one object per line (production, log shippers, tests); `pretty`: for people at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT `auto`: pretty when a person reads stdout (a terminal) outside production, JSON
 * otherwise, so `npm start` in a shell is readable and anything piped or deployed stays parseable.
 */
export function chooseLogFormat(setting: 'auto' | LogFormat, nodeEnv: string, stdoutIsTerminal: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return stdoutIsTerminal && nodeEnv !== 'production' ? 'pretty' : 'json';
}

/**
 * Structured logs. Anything that could carry a credential is redacted by
 * path as a second line of defence; code should not log such values at all.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  // Pretty printing in this thread, synchronously: a worker-thread transport could lose the last
  // lines when start-up fails and the process exits at once.
  const destination = format === 'pretty' ? pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }) : undefined;
  return pino({
    level,
    base: { service: 'smartlock-api' },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'accessToken',
        'refreshToken',
        '*.accessToken',
        '*.refreshToken',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'deviceSecret',
        '*.deviceSecret',
        'variables',
        '*.variables',
      ],
      censor: '[redacted]',
    },
  }, destination);
}

/**
 * A child logger made on its first use: pino's `child` serializes its bindings at once (about 5 µs
 * per call measured here), and a GraphQL operation that goes well logs nothing.
 */
export function childOnFirstUse(log: Logger, bindings: Record<string, unknown>): () => Logger {
  let child: Logger | undefined;
  return () => (child ??= log.child(bindings));
}
