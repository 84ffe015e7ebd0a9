/**
 * What the attack tests share: forging tokens with the app's own secret,
 * reading the drop/refusal counters the defences keep, raw MQTT connections
 * that report the broker's verdict, a health probe, and a seeded PRNG for fuzzing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { TestApp } from '../../src/test-support/test-app.js';

// ---------------------------------------------------------------- tokens

export const ISSUER = 'smartlock';
export const AUDIENCE = 'smartlock-api';

export function jwtSecretOf(app: TestApp): string {
  return readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
}

export const base64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The claims the api signs for `userId` (version 0), expiring in `ttlS` seconds (negative: already expired). */
export function accessClaims(userId: string, ttlS = 600): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { typ: 'access', ver: 0, role: 'USER', sub: userId, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + ttlS };
}

/** A token the api would accept, except for whatever `overrides` change. */
export function signAccessToken(app: TestApp, userId: string, overrides: { ttlS?: number; algorithm?: jwt.Algorithm; key?: string } = {}): string {
  return jwt.sign(accessClaims(userId, overrides.ttlS), overrides.key ?? jwtSecretOf(app), { algorithm: overrides.algorithm ?? 'HS256' });
}

// ---------------------------------------------------------------- counters

/** The sum of a counter's series whose labels include `labels` (0 when none). */
export async function counter(app: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = app.services.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

export const dropped = (app: TestApp, reason?: string) => counter(app, 'smartlock_mqtt_dropped_total', reason ? { reason } : {});
export const accepted = (app: TestApp) => counter(app, 'smartlock_mqtt_status_accepted_total');
export const brokerRefused = (app: TestApp, kind?: 'auth' | 'subscribe' | 'publish') => counter(app, 'smartlock_broker_refused_total', kind ? { kind } : {});

/**
 * The counter's value once it reaches `expected` (or after `ms`): counts made in another process,
 * such as the embedded broker's refusals, reach the api over IPC just after the refusal itself.
 */
export async function settledCounter(read: () => Promise<number>, expected: number, ms = 2000): Promise<number> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (value < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}

// ---------------------------------------------------------------- MQTT

export type ConnectVerdict = { connected: true; client: MqttClient } | { connected: false; returnCode: number | undefined };

/** Connects once (no reconnect) and reports the CONNACK verdict instead of throwing. */
export function tryConnect(app: TestApp, options: IClientOptions): Promise<ConnectVerdict> {
  return new Promise((resolve) => {
    const client = mqtt.connect(app.brokerUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => resolve({ connected: true, client }));
    client.once('error', (error: Error & { code?: number }) => {
      client.end(true);
      resolve({ connected: false, returnCode: error.code });
    });
  });
}

export async function connectOrThrow(app: TestApp, options: IClientOptions): Promise<MqttClient> {
  const verdict = await tryConnect(app, options);
  if (!verdict.connected) throw new Error(`MQTT connect refused with ${verdict.returnCode}`);
  return verdict.client;
}

/** Resolves when the broker closes the client's connection; rejects if it is still open after `deadlineMs`. */
export function closedByBroker(client: MqttClient, deadlineMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.disconnected) return resolve();
    const deadline = setTimeout(() => reject(new Error(`the broker did not close the connection within ${deadlineMs} ms`)), deadlineMs);
    client.once('close', () => {
      clearTimeout(deadline);
      resolve();
    });
  });
}

// ---------------------------------------------------------------- health

/** The api still answers: /healthz 200 and /readyz ready (store and broker). */
export async function stillHealthy(app: TestApp): Promise<{ healthz: number; readyz: number }> {
  const base = `http://127.0.0.1:${app.port}`;
  const [healthz, readyz] = await Promise.all([fetch(`${base}/healthz`), fetch(`${base}/readyz`)]);
  return { healthz: healthz.status, readyz: readyz.status };
}

// ---------------------------------------------------------------- fuzzing

/** mulberry32: small, fast and good enough to make a fuzz run reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SECURITY_FUZZ_SEED replays a failed run; otherwise a new seed each run. */
export function fuzzSeed(): number {
  const given = process.env.SECURITY_FUZZ_SEED;
  return given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

/** The quick count in `npm test`; SECURITY_FUZZ_FULL=1 runs the full one. */
export function fuzzCount(quick: number, full: number): number {
  return process.env.SECURITY_FUZZ_FULL === '1' ? full : quick;
}

/** Runs `body`; on failure, names the seed so the run can be replayed. */
export async function withSeed<T>(seed: number, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n(fuzz seed ${seed}: replay with SECURITY_FUZZ_SEED=${seed})`, { cause: error });
  }
}
