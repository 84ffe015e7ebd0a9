/**
 * The one place that reads the environment. Everything else receives a typed
 * `Config`. A bad value throws a `ConfigError` naming the variable, which stops
 * start-up before anything listens.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import { envSchema } from './env-schema.js';
import { vapidKeyProblem } from './vapid-keys.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Outside production only: push services want a contact, and a development api has none. */
const DEVELOPMENT_VAPID_SUBJECT = 'mailto:smartlock@localhost';

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
