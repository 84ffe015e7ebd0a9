import { z } from 'zod';
import { parseReleasePublicKey, ReleaseKeyError } from '../firmware/release-signature.js';
import { allowedOrigins, boolean, cronExpression, duration, optionalText, port, proxyHops, publicHost, secret, url, username } from './setting-rules.js';

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
