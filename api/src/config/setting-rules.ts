/**
 * The rules settings are made of (a duration, a port, a secret with enough entropy, a list of
 * origins...): each one parses an environment variable's text and says what is wrong with it.
 * env-schema.ts puts them together.
 */
import { isIP } from 'node:net';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { estimateEntropyBits } from './entropy.js';

const MIN_SECRET_BITS = 256;

export const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 15m, 30d, 900s or 250ms (got "${value}")` });
        return z.NEVER;
      }
      return ms;
    });

/** A five-field cron expression (minute hour day month weekday, UTC), or unset. */
export const cronExpression = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    try {
      CronExpressionParser.parse(value, { tz: 'UTC' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be a cron expression like "0 3 * * *" (${(error as Error).message})` });
      return z.NEVER;
    }
    if (value.split(/\s+/).length !== 5) {
      ctx.addIssue({ code: 'custom', message: `must have five fields: minute hour day month weekday (got "${value}")` });
      return z.NEVER;
    }
    return value;
  });

export const boolean = (fallback: boolean | undefined) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

/**
 * How many reverse proxies stand in front of the api. `true` used to mean "believe the leftmost
 * X-Forwarded-For entry", which the client writes itself: refused with a pointer to the hop count.
 */
export const proxyHops = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || ['', 'false', 'no'].includes(value)) return 0;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    ctx.addIssue({
      code: 'custom',
      message: `must be the number of reverse proxies in front of the api (0 for none, 1 for one TLS proxy), got "${value}"; "true" is no longer accepted because it believed the client's own X-Forwarded-For entries`,
    });
    return z.NEVER;
  });

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const url = (protocols: string[]) =>
  optionalText.refine(
    (v) => v === undefined || (URL.canParse(v) && protocols.includes(new URL(v).protocol)),
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** A host name or IP address as a lock dials it: no scheme, port or path (those come from the other settings). */
export const publicHost = optionalText.refine(
  (v) => v === undefined || isIP(v) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
  { message: 'must be the host name or IP address locks use to reach the broker, without scheme or port (e.g. smartlock.home.example or 192.168.1.20)' },
);

export const secret = optionalText.refine((v) => v === undefined || estimateEntropyBits(v) >= MIN_SECRET_BITS, {
  message: `must hold at least 32 bytes of entropy, e.g. the output of \`openssl rand -hex 32\``,
});

export const username = optionalText.refine((v) => v === undefined || /^[a-z0-9_.-]{3,32}$/i.test(v), {
  message: 'must be 3–32 characters of a-z, 0-9, _ . -',
});

/**
 * `*`: any Origin (an explicit choice, e.g. for clients that are not browsers). Otherwise a list
 * of origins, each normalised as browsers send it (a trailing slash is forgiven; a path is not).
 */
export const allowedOrigins = optionalText.transform((value, ctx): '*' | string[] | undefined => {
  if (value === undefined || value === '*') return value;
  const origins: string[] = [];
  for (const entry of value.split(',').map((o) => o.trim()).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin: write scheme://host[:port] (e.g. https://smartlock.home.example), comma-separated, or * for any` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});
