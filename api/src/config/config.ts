/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`. A bad value throws a `ConfigError` naming the variable, which stops
 * start-up before anything listens.
 */
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { estimateEntropyBits } from './entropy.js';
import { vapidKeyProblem } from './vapid-keys.js';
import { parseReleasePublicKey, ReleaseKeyError } from '../firmware/release-signature.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MIN_SECRET_BITS = 256;
/** Outside production only: push services want a contact, and a development api has none. */
const DEVELOPMENT_VAPID_SUBJECT = 'mailto:smartlock@localhost';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const duration = (fallback: string) =>
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
const cronExpression = z
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

const boolean = (fallback: boolean | undefined) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

/**
 * How many reverse proxies stand in front of the api. `true` used to mean "believe the leftmost
 * X-Forwarded-For entry", which the client writes itself: refused with a pointer to the hop count.
 */
const proxyHops = z
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

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const url = (protocols: string[]) =>
  optionalText.refine(
    (v) => v === undefined || (URL.canParse(v) && protocols.includes(new URL(v).protocol)),
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** A host name or IP address as a lock dials it: no scheme, port or path (those come from the other settings). */
const publicHost = optionalText.refine(
  (v) => v === undefined || isIP(v) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v),
  { message: 'must be the host name or IP address locks use to reach the broker, without scheme or port (e.g. smartlock.home.example or 192.168.1.20)' },
);

const secret = optionalText.refine((v) => v === undefined || estimateEntropyBits(v) >= MIN_SECRET_BITS, {
  message: `must hold at least 32 bytes of entropy, e.g. the output of \`openssl rand -hex 32\``,
});

const username = optionalText.refine((v) => v === undefined || /^[a-z0-9_.-]{3,32}$/i.test(v), {
  message: 'must be 3–32 characters of a-z, 0-9, _ . -',
});

/**
 * `*`: any Origin (an explicit choice, e.g. for clients that are not browsers). Otherwise a list
 * of origins, each normalised as browsers send it (a trailing slash is forgiven; a path is not).
 */
const allowedOrigins = optionalText.transform((value, ctx): '*' | string[] | undefined => {
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

/** Every setting the api reads: its name, default and rule (docs: README "Configuration", .env.example; api/test/config-docs.test.ts holds them to it). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(4000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  MONGODB_URI: url(['mongodb:', 'mongodb+srv:']),
  // Whether DATA_DIR is wiped on redeploy (a PaaS): auto = yes on Railway (it sets RAILWAY_ENVIRONMENT), unless a volume is declared with false.
  EPHEMERAL_DISK: z.enum(['auto', 'true', 'false']).default('auto'),
  // Set by Railway in every deployment: read only for EPHEMERAL_DISK=auto.
  RAILWAY_ENVIRONMENT: optionalText,
  REDIS_URL: url(['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 : _ -').default('smartlock:'),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
  MQTT_USERNAME: optionalText,
  MQTT_PASSWORD: optionalText,
  MQTT_PORT: port(1883),
  // The embedded broker's TLS listener (pre-shared keys): a port, 0 for a random one, or off.
  MQTT_TLS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)], { message: 'must be a port number (0: random) or off' }).default(8883),
  MQTT_HOST: z.string().trim().min(1).default('0.0.0.0'),
  // Where locks reach the broker: shown on the credentials screen and put in the provisioning file.
  MQTT_PUBLIC_HOST: publicHost,
  // Embedded broker: refuse every lock's login on the plain port (the api's own connection stays plain, on this host).
  MQTT_REQUIRE_TLS: boolean(false),
  // MQTT over WebSockets at /mqtt on the api's own port, relayed to the broker: for hosts that expose only HTTPS.
  MQTT_WEBSOCKETS: boolean(false),
  // At most 64 characters: the firmware keeps topics in fixed buffers (firmware/src/core/protocol.h).
  MQTT_TOPIC_PREFIX: z.string().max(64, 'must be at most 64 characters').regex(/^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,3}$/, 'must be 1–4 levels of A-Z a-z 0-9 _ - without wildcards (e.g. smartlock or home/locks)').default('smartlock'),
  MQTT_SHARED_SUBSCRIPTION: boolean(false),
  // Who keeps lock accounts on an external broker: the api through Mosquitto 2's dynamic security, or people (plain ACL).
  MQTT_BROKER_ADMIN: z.enum(['dynsec', 'none']).default('none'),
  MQTT_SHARED_GROUP: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 _ -').default('smartlock-api'),
  COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  // Per user and lock; the reasoning behind the defaults: "Command flooding" in the security notes.
  COMMAND_RATE_BURST_MAX: z.coerce.number().int().min(1).default(10),
  COMMAND_RATE_BURST_WINDOW: duration('1m'),
  COMMAND_RATE_SUSTAINED_MAX: z.coerce.number().int().min(1).default(60),
  COMMAND_RATE_SUSTAINED_WINDOW: duration('1h'),
  COMMAND_IDEMPOTENCY_WINDOW: duration('10m'),
  ALERT_BAD_SIGNATURES: z.coerce.number().int().min(2).max(10_000).default(10),
  ALERT_BAD_SIGNATURE_WINDOW: duration('5m'),
  OFFLINE_AFTER_MS: z.coerce.number().int().min(1000).default(30_000),
  OFFLINE_SWEEP_MS: z.coerce.number().int().min(100).default(10_000),
  HEARTBEAT_FLUSH_MS: z.coerce.number().int().min(10).max(5000).default(1000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  // A signed status whose ts is further than this from the server clock is dropped as stale.
  STATUS_MAX_SKEW_S: z.coerce.number().int().min(5).max(3600).default(120),
  OVERLOAD_LAG_MS: z.coerce.number().int().min(1).max(60_000).default(200),
  // How far V8 may grow the heap past its live size before the next full collection (app/heap-growth.ts); 0: V8's own choice.
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(300).default(50),
  JWT_SECRET: secret,
  SECRETS_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), {
    message: 'must be 64 hex characters (32 bytes), e.g. the output of `openssl rand -hex 32`',
  }),
  // Several keys for a rotation (docs/operations.md, "Key custody"): the first seals, every one opens.
  SECRETS_KEYS: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}(\s*,\s*[0-9a-fA-F]{64})*$/.test(v), {
    message: 'must be comma-separated keys of 64 hex characters each (the first seals new secrets), e.g. `openssl rand -hex 32`',
  }),
  // Web Push (RFC 8292): the api's P-256 key pair, base64url, as `npx web-push generate-vapid-keys` prints it.
  VAPID_PUBLIC_KEY: optionalText,
  VAPID_PRIVATE_KEY: optionalText,
  // Who push services may contact about this api's pushes.
  VAPID_SUBJECT: optionalText.refine((v) => v === undefined || /^(mailto:[^@\s]+@[^@\s]+|https:\/\/[^\s]+)$/.test(v), {
    message: 'must be a mailto: address or an https:// URL where the operator can be reached (e.g. mailto:admin@smartlock.home.example)',
  }),
  ACCESS_TOKEN_TTL: duration('15m'),
  REFRESH_TOKEN_TTL: duration('30d'),
  STEP_UP_MAX_AGE: duration('5m'),
  LOCK_TRANSFER_OFFER_TTL: duration('7d'),
  /** How long a Bluetooth offline key lives (the lock refuses more than 12 h). */
  BLE_OFFLINE_KEY_HOURS: z.coerce.number().int().min(1).max(12).default(8),
  ADMIN_USERNAME: username,
  ADMIN_PASSWORD: optionalText.refine((v) => v === undefined || v.length >= 10, {
    message: 'must be at least 10 characters',
  }),
  SCRYPT_COST: z.coerce.number().int().min(12).max(20).default(17),
  SIGNIN_FREE_FAILURES: z.coerce.number().int().min(0).max(100).default(5),
  SIGNIN_MAX_DELAY: duration('1h'),
  SIGNIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(100),
  SIGNIN_ACCOUNT_WINDOW: duration('1h'),
  SIGNIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(30),
  SIGNIN_ADDRESS_WINDOW: duration('10m'),
  SIGNUP_ADDRESS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  SIGNUP_ADDRESS_WINDOW: duration('1h'),
  GRAPHQL_INTROSPECTION: boolean(undefined),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(100).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).default(5000),
  // 7x the PWA's largest operation (67) and 2.7x GraphiQL's introspection query (183); see docs/security.md.
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(200).max(100_000).default(500),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/, 'must look like 100kb or 1mb').default('100kb'),
  ALLOWED_ORIGINS: allowedOrigins,
  // Passkeys (WebAuthn, docs/security.md): the origins the app is served from (unset: ALLOWED_ORIGINS,
  // else the origin each request came to) and the relying party id (unset: that origin's host name).
  WEBAUTHN_ORIGIN: allowedOrigins,
  WEBAUTHN_RP_ID: optionalText.refine((v) => v === undefined || /^[a-z0-9.-]+$/i.test(v), {
    message: 'must be a host name without scheme or port (e.g. smartlock.home.example)',
  }),
  TRUST_PROXY: proxyHops,
  // /metrics: a bearer token for the app port, and/or a listener of its own (docs: README, Metrics).
  METRICS_TOKEN: secret,
  // Blank means unset (not port 0, which would pick a random port).
  METRICS_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  COMMAND_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  // Diagnostics history: the lock page shows up to 7 days, so a day more by default.
  DIAGNOSTICS_RETENTION_DAYS: z.coerce.number().int().min(1).default(8),
  DIAGNOSTICS_SAMPLE_INTERVAL: duration('10m'),
  RETENTION_INTERVAL: duration('1h'),
  // Firmware updates (README, Firmware updates): the release public key (PEM or base64 SPKI), unset: no firmware operations.
  FIRMWARE_PUBLIC_KEY: optionalText.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        parseReleasePublicKey(v.replace(/\\n/g, '\n'));
        return true;
      } catch (error) {
        if (error instanceof ReleaseKeyError) return false;
        throw error;
      }
    },
    { message: 'must be an ECDSA P-256 public key, PEM or base64 SPKI (the line `npm run firmware -- keygen` prints)' },
  ),
  // Where locks download images, e.g. http://192.168.1.20:4000; unset: http://<MQTT_PUBLIC_HOST>:<PORT>, else the first ALLOWED_ORIGINS.
  // An update's url is at most 200 characters, and `/firmware/<64 hex>.bin` takes 78 of them.
  FIRMWARE_BASE_URL: url(['http:', 'https:']).refine((v) => v === undefined || v.replace(/\/+$/, '').length <= 122, {
    message: 'must be at most 122 characters (an update URL, with /firmware/<sha256>.bin, is at most 200)',
  }),
  FIRMWARE_UPDATE_TIMEOUT: duration('30m'),
  FIRMWARE_ROLLOUT_INTERVAL: duration('30s'),
  // Scheduled SQLite backups (docs/operations.md): off unless BACKUP_CRON is set.
  BACKUP_CRON: cronExpression,
  BACKUP_DIR: z.string().trim().optional().transform((v) => (v === '' ? undefined : v)),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(14),
  // Outgoing mail for account recovery (docs/operations.md, "Email"): unset, no recovery by email.
  SMTP_URL: url(['smtp:', 'smtps:']),
  SMTP_FROM: optionalText.refine((v) => v === undefined || /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(v), {
    message: 'must be an address like smartlock@home.example or "Smartlock <smartlock@home.example>"',
  }),
  // Home Assistant bridge (docs/home-assistant.md): off unless HOMEASSISTANT_MQTT_URL is set.
  HOMEASSISTANT_MQTT_URL: url(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
  HOMEASSISTANT_MQTT_USERNAME: optionalText,
  HOMEASSISTANT_MQTT_PASSWORD: optionalText,
  HOMEASSISTANT_USER: username,
  // Digits only: Home Assistant's keypad offers digits, and code_format tells it so.
  HOMEASSISTANT_PIN: optionalText.refine((v) => v === undefined || /^\d{4,12}$/.test(v), { message: 'must be 4–12 digits' }),
  HOMEASSISTANT_DISCOVERY_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 _ - (Home Assistant\'s default is homeassistant)').default('homeassistant'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  /** `proxyHops`: reverse proxies in front of the api whose X-Forwarded-For entries are believed (TRUST_PROXY). */
  http: { host: string; port: number; bodyLimit: string; proxyHops: number; allowedOrigins: string[] };
  /** Passkeys' relying party; empty origins and no rpId: derived per request (auth/relying-party.ts). */
  webauthn: { origins: string[]; rpId: string | undefined };
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** LOG_FORMAT: auto (pretty at a terminal outside production), json or pretty. */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  mongodbUri: string | undefined;
  redis: { url: string; keyPrefix: string } | undefined;
  mqtt: {
    url: string | undefined;
    username: string | undefined;
    password: string | undefined;
    /** Embedded broker's listening port (0: random) and host, used when `url` is unset. */
    port: number;
    /** Embedded broker's TLS-PSK port (0: random); undefined: no TLS listener. */
    tlsPort: number | undefined;
    /** Embedded broker: locks may log in over TLS only. */
    requireTls: boolean;
    /** MQTT over WebSockets at /mqtt on the api's port, relayed to the broker (http/mqtt-websocket.ts). */
    websockets: boolean;
    host: string;
    /** The host name or address locks dial (MQTT_PUBLIC_HOST); undefined: guessed (locks/lock-connection.ts). */
    publicHost: string | undefined;
    topicPrefix: string;
    /** Subscribe as `$share/<group>/…` so replicas split the status load. */
    sharedGroup: string | undefined;
    /** External broker only: `dynsec` = the api creates, rotates and deletes lock accounts itself. */
    brokerAdmin: 'dynsec' | 'none';
  };
  locks: { commandTimeoutMs: number; offlineAfterMs: number; offlineSweepMs: number; heartbeatFlushMs: number; statusMaxSkewS: number; transferOfferTtlMs: number; offlineKeyHours: number };
  /** Command flooding: per user and lock rate limits, and how long an idempotency key merges repeats. */
  commands: {
    rate: { burstMax: number; burstWindowMs: number; sustainedMax: number; sustainedWindowMs: number };
    idempotencyWindowMs: number;
  };
  /** A burst of `count` bad signatures from one lock within `windowMs` raises an alert on it. */
  alerts: { badSignatures: { count: number; windowMs: number } };
  /** How long SIGTERM/SIGINT may take to stop everything before the process exits with 1 anyway. */
  shutdownTimeoutMs: number;
  /** Event-loop lag above which the api sheds heartbeats that change nothing. */
  overload: { lagMs: number };
  /** Percent V8 may grow the heap past its live size before a full collection; 0: V8 decides. */
  heapGrowingPercent: number;
  /** Undefined outside production: `resolveSecrets` then supplies a persisted development secret. */
  jwtSecret: string | undefined;
  /** SECRETS_KEYS (or SECRETS_KEY), hex, the sealing key first; undefined as jwtSecret. */
  secretsKeys: string[] | undefined;
  /**
   * Web Push. Keys undefined outside production when unset: `resolveSecrets` then supplies a
   * persisted development pair. `subject` defaults to a placeholder outside production.
   */
  push: { vapidPublicKey: string | undefined; vapidPrivateKey: string | undefined; subject: string };
  auth: {
    accessTokenTtlMs: number;
    refreshTokenTtlMs: number;
    /** How recent a session's last password (or second factor, passkey) proof must be for sensitive operations (auth/step-up.ts). */
    stepUpMaxAgeMs: number;
    scryptCost: number;
    bootstrapAdmin: { username: string; password: string } | undefined;
    /** Sign-in throttle without lockouts (auth/throttle/throttle.ts). */
    throttle: {
      freeFailures: number;
      maxDelayMs: number;
      accountMaxFailures: number;
      accountWindowMs: number;
      addressMaxFailures: number;
      addressWindowMs: number;
    };
    /** Sign-up attempts per client address and window, counted whatever their outcome. */
    signUpThrottle: { addressMaxAttempts: number; addressWindowMs: number };
  };
  graphql: { introspection: boolean; maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  /**
   * Who may read /metrics. `token`: a bearer token asked on the app port and on `port`.
   * `port`: a listener of its own serving only /metrics. `openOnAppPort`: served on the app port
   * without a token (outside production, when neither is set).
   */
  metrics: { token: string | undefined; port: number | undefined; host: string; openOnAppPort: boolean };
  /** What the retention job keeps, and how often it runs (expired sessions always go). */
  retention: { commandDays: number; auditDays: number; diagnosticsDays: number; everyMs: number };
  /** At most one diagnostics point per lock per `sampleEveryMs`, besides availability, battery band and boot changes. */
  diagnostics: { sampleEveryMs: number };
  /**
   * Signed firmware updates. `publicKey` undefined: firmware operations answer an error.
   * `baseUrl` undefined: derived from MQTT_PUBLIC_HOST and the bound port (firmware/firmware-urls.ts).
   * `updateTimeoutMs`: a lock's update not final by then is TIMED_OUT. `rolloutEveryMs`: how often rollouts advance.
   */
  firmware: { publicKey: string | undefined; baseUrl: string | undefined; updateTimeoutMs: number; rolloutEveryMs: number };
  /** `cron` unset: no scheduled backups. `dir` defaults to DATA_DIR/backups. */
  backup: { cron: string | undefined; dir: string; keep: number };
  /** Outgoing mail (account recovery); undefined without SMTP_URL. */
  smtp: { url: string; from: string } | undefined;
  /**
   * The Home Assistant bridge (integrations/home-assistant/), undefined when off. `user`: whose locks
   * it exposes and acts for; `pin`: what Home Assistant must send with an unlock.
   */
  homeAssistant: { url: string; username: string | undefined; password: string | undefined; user: string; pin: string; discoveryPrefix: string } | undefined;
}

/** Parses an environment (normally `process.env`) into a `Config`, or throws `ConfigError`. */
export function parseConfig(env: Env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  if (production && !e.JWT_SECRET) problems.push('JWT_SECRET: is required when NODE_ENV=production');
  if (production && !e.SECRETS_KEY && !e.SECRETS_KEYS) problems.push('SECRETS_KEYS: is required when NODE_ENV=production (or SECRETS_KEY, one key)');
  if (e.SECRETS_KEY && e.SECRETS_KEYS) problems.push('SECRETS_KEY: set SECRETS_KEYS or SECRETS_KEY, not both (SECRETS_KEYS holds every key, the sealing one first)');
  for (const variable of ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'] as const) {
    if (production && !e[variable]) problems.push(`${variable}: is required when NODE_ENV=production (web push; generate the pair with \`npx web-push generate-vapid-keys\`)`);
  }
  if (production && !e.VAPID_SUBJECT) problems.push('VAPID_SUBJECT: is required when NODE_ENV=production (web push: a mailto: address or https:// URL where push services can reach the operator)');
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    problems.push(`${e.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'}: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together`);
  } else if (e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY) {
    const problem = vapidKeyProblem(e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY);
    if (problem) problems.push(problem);
  }
  if (production && e.ALLOWED_ORIGINS === undefined) {
    problems.push('ALLOWED_ORIGINS: is required when NODE_ENV=production: the origins that serve the app (e.g. https://smartlock.home.example), or * to accept any');
  }
  // SQLite on a disk a redeploy wipes loses every account and lock; refuse rather than start fresh each deploy.
  const ephemeralDisk = e.EPHEMERAL_DISK === 'true' || (e.EPHEMERAL_DISK === 'auto' && Boolean(e.RAILWAY_ENVIRONMENT));
  if (production && ephemeralDisk && !e.MONGODB_URI) {
    problems.push(`MONGODB_URI: is required when NODE_ENV=production on a disk wiped at each redeploy (${e.EPHEMERAL_DISK === 'true' ? 'EPHEMERAL_DISK=true' : 'RAILWAY_ENVIRONMENT is set'}): the SQLite database in DATA_DIR would be lost; use a managed MongoDB (docs/deploy.md), or EPHEMERAL_DISK=false with a volume at DATA_DIR`);
  }
  if (production && e.SCRYPT_COST < 17) problems.push('SCRYPT_COST: must be at least 17 when NODE_ENV=production');
  if (Boolean(e.ADMIN_USERNAME) !== Boolean(e.ADMIN_PASSWORD)) {
    problems.push(`${e.ADMIN_USERNAME ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME'}: ADMIN_USERNAME and ADMIN_PASSWORD go together`);
  }
  if (Boolean(e.MQTT_USERNAME) !== Boolean(e.MQTT_PASSWORD)) {
    problems.push(`${e.MQTT_USERNAME ? 'MQTT_PASSWORD' : 'MQTT_USERNAME'}: MQTT_USERNAME and MQTT_PASSWORD go together`);
  }
  if (e.MQTT_URL && !e.MQTT_USERNAME) problems.push('MQTT_USERNAME: is required with MQTT_URL (the api\'s own broker account)');
  if (e.MQTT_REQUIRE_TLS && e.MQTT_URL) problems.push('MQTT_REQUIRE_TLS: applies to the embedded broker only; on an external broker, remove its plain listener instead (deploy/mosquitto/README.md)');
  if (e.MQTT_WEBSOCKETS && e.MQTT_URL && !/^mqtts?:/i.test(e.MQTT_URL)) problems.push('MQTT_WEBSOCKETS: relays to the broker over TCP: MQTT_URL must be mqtt:// or mqtts://');
  if (e.MQTT_REQUIRE_TLS && e.MQTT_TLS_PORT === 'off') problems.push('MQTT_REQUIRE_TLS: needs the TLS listener, but MQTT_TLS_PORT is off');
  if (e.MQTT_BROKER_ADMIN === 'dynsec' && !e.MQTT_URL) problems.push('MQTT_BROKER_ADMIN: dynsec needs MQTT_URL (the embedded broker checks locks against the store itself)');
  if (e.MQTT_SHARED_SUBSCRIPTION && !e.MQTT_URL) problems.push('MQTT_SHARED_SUBSCRIPTION: needs MQTT_URL (an external broker)');
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) problems.push('METRICS_PORT: must differ from PORT');
  if (e.SMTP_URL && !e.SMTP_FROM) problems.push('SMTP_FROM: is required with SMTP_URL (the sender of recovery mails, e.g. smartlock@home.example)');
  if (Boolean(e.HOMEASSISTANT_MQTT_USERNAME) !== Boolean(e.HOMEASSISTANT_MQTT_PASSWORD)) {
    problems.push(`${e.HOMEASSISTANT_MQTT_USERNAME ? 'HOMEASSISTANT_MQTT_PASSWORD' : 'HOMEASSISTANT_MQTT_USERNAME'}: HOMEASSISTANT_MQTT_USERNAME and HOMEASSISTANT_MQTT_PASSWORD go together`);
  }
  if (e.HOMEASSISTANT_MQTT_URL) {
    if (!e.HOMEASSISTANT_USER) problems.push('HOMEASSISTANT_USER: is required with HOMEASSISTANT_MQTT_URL (the user whose locks Home Assistant sees)');
    if (!e.HOMEASSISTANT_PIN) problems.push('HOMEASSISTANT_PIN: is required with HOMEASSISTANT_MQTT_URL (the PIN Home Assistant must send to unlock)');
  } else {
    for (const variable of ['HOMEASSISTANT_USER', 'HOMEASSISTANT_PIN', 'HOMEASSISTANT_MQTT_USERNAME'] as const) {
      if (e[variable]) problems.push(`${variable}: needs HOMEASSISTANT_MQTT_URL (Home Assistant's broker)`);
    }
  }
  if (e.WEBAUTHN_ORIGIN === '*') problems.push('WEBAUTHN_ORIGIN: must list the origins the app is served from (a passkey is bound to them), not *');
  if (e.WEBAUTHN_RP_ID && Array.isArray(e.WEBAUTHN_ORIGIN)) {
    const rpId = e.WEBAUTHN_RP_ID.toLowerCase();
    for (const origin of e.WEBAUTHN_ORIGIN) {
      const host = new URL(origin).hostname;
      if (host !== rpId && !host.endsWith(`.${rpId}`)) problems.push(`WEBAUTHN_RP_ID: ${rpId} must be the host name of ${origin} or a parent domain of it`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, bodyLimit: e.BODY_LIMIT, proxyHops: e.TRUST_PROXY, allowedOrigins: Array.isArray(e.ALLOWED_ORIGINS) ? e.ALLOWED_ORIGINS : [] },
    webauthn: { origins: Array.isArray(e.WEBAUTHN_ORIGIN) ? e.WEBAUTHN_ORIGIN : [], rpId: e.WEBAUTHN_RP_ID?.toLowerCase() },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    mongodbUri: e.MONGODB_URI,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
    mqtt: {
      url: e.MQTT_URL,
      username: e.MQTT_USERNAME,
      password: e.MQTT_PASSWORD,
      port: e.MQTT_PORT,
      tlsPort: e.MQTT_TLS_PORT === 'off' ? undefined : e.MQTT_TLS_PORT,
      requireTls: e.MQTT_REQUIRE_TLS ?? false,
      websockets: e.MQTT_WEBSOCKETS ?? false,
      host: e.MQTT_HOST,
      publicHost: e.MQTT_PUBLIC_HOST,
      topicPrefix: e.MQTT_TOPIC_PREFIX,
      sharedGroup: e.MQTT_SHARED_SUBSCRIPTION ? e.MQTT_SHARED_GROUP : undefined,
      brokerAdmin: e.MQTT_BROKER_ADMIN,
    },
    locks: {
      commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
      offlineAfterMs: e.OFFLINE_AFTER_MS,
      offlineSweepMs: e.OFFLINE_SWEEP_MS,
      heartbeatFlushMs: e.HEARTBEAT_FLUSH_MS,
      statusMaxSkewS: e.STATUS_MAX_SKEW_S,
      transferOfferTtlMs: e.LOCK_TRANSFER_OFFER_TTL,
      offlineKeyHours: e.BLE_OFFLINE_KEY_HOURS,
    },
    alerts: { badSignatures: { count: e.ALERT_BAD_SIGNATURES, windowMs: e.ALERT_BAD_SIGNATURE_WINDOW } },
    commands: {
      rate: {
        burstMax: e.COMMAND_RATE_BURST_MAX,
        burstWindowMs: e.COMMAND_RATE_BURST_WINDOW,
        sustainedMax: e.COMMAND_RATE_SUSTAINED_MAX,
        sustainedWindowMs: e.COMMAND_RATE_SUSTAINED_WINDOW,
      },
      idempotencyWindowMs: e.COMMAND_IDEMPOTENCY_WINDOW,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    overload: { lagMs: e.OVERLOAD_LAG_MS },
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    jwtSecret: e.JWT_SECRET,
    secretsKeys: (e.SECRETS_KEYS ?? e.SECRETS_KEY)?.split(',').map((key) => key.trim().toLowerCase()),
    push: { vapidPublicKey: e.VAPID_PUBLIC_KEY, vapidPrivateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT ?? DEVELOPMENT_VAPID_SUBJECT },
    auth: {
      accessTokenTtlMs: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlMs: e.REFRESH_TOKEN_TTL,
      stepUpMaxAgeMs: e.STEP_UP_MAX_AGE,
      scryptCost: e.SCRYPT_COST,
      bootstrapAdmin:
        e.ADMIN_USERNAME && e.ADMIN_PASSWORD ? { username: e.ADMIN_USERNAME.toLowerCase(), password: e.ADMIN_PASSWORD } : undefined,
      throttle: {
        freeFailures: e.SIGNIN_FREE_FAILURES,
        maxDelayMs: e.SIGNIN_MAX_DELAY,
        accountMaxFailures: e.SIGNIN_ACCOUNT_MAX_FAILURES,
        accountWindowMs: e.SIGNIN_ACCOUNT_WINDOW,
        addressMaxFailures: e.SIGNIN_ADDRESS_MAX_FAILURES,
        addressWindowMs: e.SIGNIN_ADDRESS_WINDOW,
      },
      signUpThrottle: { addressMaxAttempts: e.SIGNUP_ADDRESS_MAX_ATTEMPTS, addressWindowMs: e.SIGNUP_ADDRESS_WINDOW },
    },
    graphql: {
      introspection: e.GRAPHQL_INTROSPECTION ?? !production,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    metrics: {
      token: e.METRICS_TOKEN,
      port: e.METRICS_PORT,
      host: e.METRICS_HOST,
      openOnAppPort: !production && !e.METRICS_TOKEN && e.METRICS_PORT === undefined,
    },
    retention: { commandDays: e.COMMAND_RETENTION_DAYS, auditDays: e.AUDIT_RETENTION_DAYS, diagnosticsDays: e.DIAGNOSTICS_RETENTION_DAYS, everyMs: e.RETENTION_INTERVAL },
    diagnostics: { sampleEveryMs: e.DIAGNOSTICS_SAMPLE_INTERVAL },
    firmware: {
      publicKey: e.FIRMWARE_PUBLIC_KEY?.replace(/\\n/g, '\n'),
      baseUrl: e.FIRMWARE_BASE_URL?.replace(/\/+$/, ''),
      updateTimeoutMs: e.FIRMWARE_UPDATE_TIMEOUT,
      rolloutEveryMs: e.FIRMWARE_ROLLOUT_INTERVAL,
    },
    backup: { cron: e.BACKUP_CRON, dir: e.BACKUP_DIR ?? join(e.DATA_DIR, 'backups'), keep: e.BACKUP_KEEP },
    smtp: e.SMTP_URL && e.SMTP_FROM ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    homeAssistant:
      e.HOMEASSISTANT_MQTT_URL && e.HOMEASSISTANT_USER && e.HOMEASSISTANT_PIN
        ? {
            url: e.HOMEASSISTANT_MQTT_URL,
            username: e.HOMEASSISTANT_MQTT_USERNAME,
            password: e.HOMEASSISTANT_MQTT_PASSWORD,
            user: e.HOMEASSISTANT_USER.toLowerCase(),
            pin: e.HOMEASSISTANT_PIN,
            discoveryPrefix: e.HOMEASSISTANT_DISCOVERY_PREFIX,
          }
        : undefined,
  };
}
