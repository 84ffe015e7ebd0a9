import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { configProblems } from '../test-support/config-problems.js';
import { resolveSecrets } from './secrets.js';
import { generateVapidKeys } from './vapid-keys.js';

const STRONG = 'a3f1c9e27b4d8e6f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7';
const VAPID = generateVapidKeys();
const VAPID_ENV = { VAPID_PUBLIC_KEY: VAPID.publicKey, VAPID_PRIVATE_KEY: VAPID.privateKey, VAPID_SUBJECT: 'mailto:ops@locks.example' };


describe('configuration', () => {
  it('starts on documented defaults with an empty environment', () => {
    const config = parseConfig({});
    expect(config.http.port).toBe(4000);
    expect(config.dataDir).toBe('./data');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.redis).toBeUndefined();
    expect(config.auth.accessTokenTtlMs).toBe(15 * 60_000);
    expect(config.auth.refreshTokenTtlMs).toBe(30 * 86_400_000);
    expect(config.graphql.introspection).toBe(true);
  });

  it('gives shutdown 5 s by default (SHUTDOWN_TIMEOUT_MS) and refuses a value that is not a duration in ms', () => {
    expect(parseConfig({}).shutdownTimeoutMs).toBe(5000);
    expect(parseConfig({ SHUTDOWN_TIMEOUT_MS: '20000' }).shutdownTimeoutMs).toBe(20_000);
    expect(configProblems({ SHUTDOWN_TIMEOUT_MS: 'soon' })[0]).toMatch(/^SHUTDOWN_TIMEOUT_MS:/);
    expect(configProblems({ SHUTDOWN_TIMEOUT_MS: '0' })[0]).toMatch(/^SHUTDOWN_TIMEOUT_MS:/);
  });

  it('keeps broker accounts by hand unless MQTT_BROKER_ADMIN=dynsec, which needs an external broker', () => {
    expect(parseConfig({}).mqtt.brokerAdmin).toBe('none');
    const external = { MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'smartlock-api', MQTT_PASSWORD: 'pw' };
    expect(parseConfig({ ...external, MQTT_BROKER_ADMIN: 'dynsec' }).mqtt.brokerAdmin).toBe('dynsec');
    expect(configProblems({ MQTT_BROKER_ADMIN: 'dynsec' })[0]).toMatch(/^MQTT_BROKER_ADMIN: dynsec needs MQTT_URL/);
    expect(configProblems({ ...external, MQTT_BROKER_ADMIN: 'acl' })[0]).toMatch(/^MQTT_BROKER_ADMIN:/);
  });

  it('relays MQTT over WebSockets only when asked, and only to an mqtt:// or mqtts:// broker', () => {
    expect(parseConfig({}).mqtt.websockets).toBe(false);
    expect(parseConfig({ MQTT_WEBSOCKETS: 'true' }).mqtt.websockets).toBe(true);
    const external = { MQTT_USERNAME: 'smartlock-api', MQTT_PASSWORD: 'pw', MQTT_WEBSOCKETS: 'true' };
    expect(parseConfig({ ...external, MQTT_URL: 'mqtts://broker:8883' }).mqtt.websockets).toBe(true);
    expect(configProblems({ ...external, MQTT_URL: 'wss://broker/mqtt' })[0]).toMatch(/^MQTT_WEBSOCKETS: relays to the broker over TCP/);
  });

  it('bounds heap growth at 50% unless HEAP_GROWING_PERCENT says otherwise (0: V8 decides)', () => {
    expect(parseConfig({}).heapGrowingPercent).toBe(50);
    expect(parseConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(configProblems({ HEAP_GROWING_PERCENT: '-1' })[0]).toMatch(/^HEAP_GROWING_PERCENT:/);
    expect(configProblems({ HEAP_GROWING_PERCENT: 'lots' })[0]).toMatch(/^HEAP_GROWING_PERCENT:/);
  });

  it('listens for TLS-PSK on 8883 by default; MQTT_TLS_PORT takes a port, 0 or off', () => {
    expect(parseConfig({}).mqtt.tlsPort).toBe(8883);
    expect(parseConfig({ MQTT_TLS_PORT: '0' }).mqtt.tlsPort).toBe(0);
    expect(parseConfig({ MQTT_TLS_PORT: 'off' }).mqtt.tlsPort).toBeUndefined();
    expect(configProblems({ MQTT_TLS_PORT: 'tls' })[0]).toMatch(/^MQTT_TLS_PORT: must be a port number \(0: random\) or off/);
    expect(configProblems({ MQTT_TLS_PORT: '70000' })[0]).toMatch(/^MQTT_TLS_PORT:/);
    expect(parseConfig({ MQTT_REQUIRE_TLS: 'true' }).mqtt.requireTls).toBe(true);
    expect(configProblems({ MQTT_REQUIRE_TLS: 'true', MQTT_TLS_PORT: 'off' })[0]).toMatch(/^MQTT_REQUIRE_TLS: needs the TLS listener/);
    expect(configProblems({ MQTT_REQUIRE_TLS: 'true', MQTT_URL: 'mqtt://broker:1883', MQTT_USERNAME: 'a', MQTT_PASSWORD: 'b' })[0]).toMatch(/^MQTT_REQUIRE_TLS: applies to the embedded broker only/);
  });

  it('takes MQTT_PUBLIC_HOST as a bare host name or IP address, unset by default (then guessed)', () => {
    expect(parseConfig({}).mqtt.publicHost).toBeUndefined();
    expect(parseConfig({ MQTT_PUBLIC_HOST: '' }).mqtt.publicHost).toBeUndefined();
    expect(parseConfig({ MQTT_PUBLIC_HOST: 'smartlock.home.example' }).mqtt.publicHost).toBe('smartlock.home.example');
    expect(parseConfig({ MQTT_PUBLIC_HOST: '192.168.1.20' }).mqtt.publicHost).toBe('192.168.1.20');
    expect(parseConfig({ MQTT_PUBLIC_HOST: 'fd00::20' }).mqtt.publicHost).toBe('fd00::20');
    for (const bad of ['mqtts://broker.example', 'broker.example:8883', 'broker.example/x', '-bad.example', 'a b']) {
      expect(configProblems({ MQTT_PUBLIC_HOST: bad })[0], bad).toMatch(/^MQTT_PUBLIC_HOST: must be the host name or IP address locks use/);
    }
  });

  it('names the variable that holds a bad value', () => {
    expect(configProblems({ PORT: 'eighty' })[0]).toMatch(/^PORT:/);
    expect(configProblems({ ACCESS_TOKEN_TTL: 'soon' })[0]).toMatch(/^ACCESS_TOKEN_TTL: must be a duration/);
    expect(configProblems({ REDIS_URL: 'http://x' })[0]).toMatch(/^REDIS_URL: must be a URL/);
    expect(configProblems({ MONGODB_URI: 'not a url' })[0]).toMatch(/^MONGODB_URI:/);
    expect(configProblems({ NODE_ENV: 'staging' })[0]).toMatch(/^NODE_ENV:/);
  });

  it('requires strong secrets in production', () => {
    expect(configProblems({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^JWT_SECRET: is required/), expect.stringMatching(/^SECRETS_KEYS: is required/)]),
    );
    expect(configProblems({ JWT_SECRET: 'changeme-changeme-changeme-changeme' })[0]).toMatch(/^JWT_SECRET: must hold at least 32 bytes/);
    expect(configProblems({ NODE_ENV: 'production', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, ALLOWED_ORIGINS: '*', ...VAPID_ENV })).toEqual([]);
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, ALLOWED_ORIGINS: '*', ...VAPID_ENV }).graphql.introspection).toBe(false);
  });

  it('requires the VAPID key pair and subject in production, and checks that the keys belong together', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, ALLOWED_ORIGINS: '*' };
    expect(configProblems(production)).toEqual([
      expect.stringMatching(/^VAPID_PUBLIC_KEY: is required when NODE_ENV=production/),
      expect.stringMatching(/^VAPID_PRIVATE_KEY: is required when NODE_ENV=production/),
      expect.stringMatching(/^VAPID_SUBJECT: is required when NODE_ENV=production/),
    ]);
    expect(parseConfig({ ...production, ...VAPID_ENV }).push).toEqual({ vapidPublicKey: VAPID.publicKey, vapidPrivateKey: VAPID.privateKey, subject: 'mailto:ops@locks.example' });
    expect(parseConfig({}).push).toEqual({ vapidPublicKey: undefined, vapidPrivateKey: undefined, subject: 'mailto:smartlock@localhost' });
    expect(configProblems({ VAPID_PUBLIC_KEY: VAPID.publicKey })).toEqual(['VAPID_PRIVATE_KEY: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together']);
    expect(configProblems({ ...VAPID_ENV, VAPID_PUBLIC_KEY: generateVapidKeys().publicKey })).toEqual(['VAPID_PUBLIC_KEY: does not belong to VAPID_PRIVATE_KEY']);
    expect(configProblems({ ...VAPID_ENV, VAPID_PUBLIC_KEY: 'short' })[0]).toMatch(/^VAPID_PUBLIC_KEY: must be a P-256 public key/);
    expect(configProblems({ ...VAPID_ENV, VAPID_PRIVATE_KEY: 'x'.repeat(43) })[0]).toMatch(/^VAPID_(PRIVATE|PUBLIC)_KEY:/);
    expect(configProblems({ VAPID_SUBJECT: 'ops@locks.example' })[0]).toMatch(/^VAPID_SUBJECT: must be a mailto: address or an https:\/\/ URL/);
    expect(configProblems({ VAPID_SUBJECT: 'https://locks.example/contact' })).toEqual([]);
  });

  it('serves /metrics openly only outside production with neither METRICS_TOKEN nor METRICS_PORT', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, ALLOWED_ORIGINS: '*', ...VAPID_ENV };
    expect(parseConfig({}).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1', openOnAppPort: true });
    expect(parseConfig(production).metrics.openOnAppPort).toBe(false);
    expect(parseConfig({ METRICS_TOKEN: STRONG }).metrics).toMatchObject({ token: STRONG, openOnAppPort: false });
    expect(parseConfig({ METRICS_PORT: '9464' }).metrics).toMatchObject({ port: 9464, openOnAppPort: false });
    expect(parseConfig({ METRICS_PORT: '' }).metrics.port).toBeUndefined();
    expect(configProblems({ METRICS_TOKEN: 'prometheus' })[0]).toMatch(/^METRICS_TOKEN: must hold at least 32 bytes/);
    expect(configProblems({ PORT: '4000', METRICS_PORT: '4000' })).toEqual(['METRICS_PORT: must differ from PORT']);
  });

  it('wants the bootstrap admin username and password together', () => {
    expect(configProblems({ ADMIN_USERNAME: 'root' })[0]).toMatch(/^ADMIN_PASSWORD:/);
    expect(configProblems({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' })[0]).toMatch(/^ADMIN_PASSWORD: must be at least 10/);
    expect(parseConfig({ ADMIN_USERNAME: 'Root', ADMIN_PASSWORD: 'long enough pass' }).auth.bootstrapAdmin?.username).toBe('root');
  });

  it('parses durations, booleans and lists', () => {
    const config = parseConfig({ ACCESS_TOKEN_TTL: '90s', REFRESH_TOKEN_TTL: '7d', GRAPHQL_INTROSPECTION: 'false', ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.auth.accessTokenTtlMs).toBe(90_000);
    expect(config.auth.refreshTokenTtlMs).toBe(7 * 86_400_000);
    expect(config.graphql.introspection).toBe(false);
    expect(config.http.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('keeps commands 90 days and audit entries 365 days by default, and checks retention settings', () => {
    expect(parseConfig({}).retention).toEqual({ commandDays: 90, auditDays: 365, diagnosticsDays: 8, everyMs: 3_600_000 });
    expect(parseConfig({ COMMAND_RETENTION_DAYS: '7', AUDIT_RETENTION_DAYS: '30', DIAGNOSTICS_RETENTION_DAYS: '2', RETENTION_INTERVAL: '10m' }).retention).toEqual({
      commandDays: 7,
      auditDays: 30,
      diagnosticsDays: 2,
      everyMs: 600_000,
    });
    expect(configProblems({ DIAGNOSTICS_RETENTION_DAYS: '0' })[0]).toMatch(/^DIAGNOSTICS_RETENTION_DAYS:/);
    expect(configProblems({ COMMAND_RETENTION_DAYS: '0' })[0]).toMatch(/^COMMAND_RETENTION_DAYS:/);
    expect(configProblems({ AUDIT_RETENTION_DAYS: 'forever' })[0]).toMatch(/^AUDIT_RETENTION_DAYS:/);
    expect(configProblems({ RETENTION_INTERVAL: 'often' })[0]).toMatch(/^RETENTION_INTERVAL: must be a duration/);
  });

  it('samples diagnostics every 10 minutes by default', () => {
    expect(parseConfig({}).diagnostics).toEqual({ sampleEveryMs: 600_000 });
    expect(parseConfig({ DIAGNOSTICS_SAMPLE_INTERVAL: '5m' }).diagnostics).toEqual({ sampleEveryMs: 300_000 });
    expect(configProblems({ DIAGNOSTICS_SAMPLE_INTERVAL: 'hourly' })[0]).toMatch(/^DIAGNOSTICS_SAMPLE_INTERVAL: must be a duration/);
  });

  it('limits commands to 10 a minute and 60 an hour per user and lock, and merges repeats for 10 minutes, by default', () => {
    expect(parseConfig({}).commands).toEqual({
      rate: { burstMax: 10, burstWindowMs: 60_000, sustainedMax: 60, sustainedWindowMs: 3_600_000 },
      idempotencyWindowMs: 600_000,
    });
    expect(parseConfig({ COMMAND_RATE_BURST_MAX: '3', COMMAND_RATE_SUSTAINED_WINDOW: '1d', COMMAND_IDEMPOTENCY_WINDOW: '30s' }).commands).toMatchObject({
      rate: { burstMax: 3, sustainedWindowMs: 86_400_000 },
      idempotencyWindowMs: 30_000,
    });
    expect(configProblems({ COMMAND_RATE_BURST_MAX: '0' })[0]).toMatch(/^COMMAND_RATE_BURST_MAX:/);
    expect(configProblems({ COMMAND_RATE_BURST_WINDOW: 'soon' })[0]).toMatch(/^COMMAND_RATE_BURST_WINDOW: must be a duration/);
  });
});

describe('development secrets', () => {
  it('are generated once, kept with 0600 permissions and reused', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-secrets-'));
    try {
      const warnings: string[] = [];
      const log = { warn: (_obj: object, msg: string) => void warnings.push(msg) };
      const config = parseConfig({ DATA_DIR: dataDir });
      const first = resolveSecrets(config, log);
      const second = resolveSecrets(config, log);
      expect(first.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(second.jwtSecret).toBe(first.jwtSecret);
      expect(first.secretsKeys.map((k) => k.length)).toEqual([32]);
      expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first.jwtSecret);
      expect(warnings.some((w) => w.includes('JWT_SECRET is not set'))).toBe(true);
      // A VAPID pair that belongs together, kept beside the others and the same at the next start.
      expect(first.vapid.publicKey).toHaveLength(87);
      expect(second.vapid).toEqual(first.vapid);
      expect(parseConfig({ VAPID_PUBLIC_KEY: first.vapid.publicKey, VAPID_PRIVATE_KEY: first.vapid.privateKey }).push.vapidPublicKey).toBe(first.vapid.publicKey);
      expect(statSync(join(dataDir, 'vapid-keys')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('are not used when the environment provides them', () => {
    const config = parseConfig({ DATA_DIR: '/nonexistent/never-created', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, ...VAPID_ENV });
    expect(resolveSecrets(config, { warn: () => undefined }).jwtSecret).toBe(STRONG);
    expect(resolveSecrets(config, { warn: () => undefined }).vapid).toEqual(VAPID);
  });
});
