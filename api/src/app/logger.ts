import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry a credential is redacted by
 * path as a second line of defence; code should not log such values at all.
 */
export function createLogger(level: string): Logger {
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
  });
}
