/**
 * Issue 15 item 6: the api image runs unchanged on a PaaS (Railway). There is no Docker engine
 * here, so the runtime stage of api/Dockerfile is read and its CMD run as written, from the
 * directory its WORKDIR mirrors (the repository root: the image copies api/dist and pwa/dist to the
 * same relative paths), with the image's ENV and what the PaaS adds: PORT of its choosing,
 * RAILWAY_ENVIRONMENT, a managed MongoDB (CongoDB here), Redis, MQTT over WebSockets behind its
 * TLS edge. Then: the health check path railway.json names answers, and a lock reaches the broker
 * through wss on that same HTTP port and is served end to end. Needs `npm run build:api`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVapidKeys } from '../src/config/vapid-keys.js';
import { Topics } from '../src/devices/protocol/topics.js';
import { startCongoDb, type CongoDb } from '../src/test-support/congodb.js';
import { gql, signUp } from '../src/test-support/graphql-client.js';
import { LOCK_QUERY, UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { freePort } from '../src/test-support/free-port.js';

const REPO_ROOT = resolve(__dirname, '../..');
const dockerfile = readFileSync(join(REPO_ROOT, 'api/Dockerfile'), 'utf8');
const railway = JSON.parse(readFileSync(join(REPO_ROOT, 'railway.json'), 'utf8')) as {
  build?: { builder?: string; dockerfilePath?: string };
  deploy?: { startCommand?: string; healthcheckPath?: string; restartPolicyType?: string; numReplicas?: number };
};

/** The last stage: what the PaaS runs. */
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

/** CMD in exec form, e.g. ["node", "api/dist/src/main.js"]. */
function commandOf(stage: string): string[] {
  const match = /^CMD (\[.*\])$/m.exec(stage);
  if (!match?.[1]) throw new Error('api/Dockerfile: no exec-form CMD in the runtime stage');
  return JSON.parse(match[1]) as string[];
}

/** ENV lines of the stage (`ENV A=1 \` continued `B=2`). */
function envOf(stage: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const block of stage.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of (block[1] ?? '').replace(/\\\n/g, ' ').trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** The HTTP status a WebSocket upgrade to /mqtt gets (101: switched). */
function upgradeStatus(port: number, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/mqtt',
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'mqtt', ...headers },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      done(response.statusCode);
    });
    req.on('response', (response) => {
      response.resume();
      done(response.statusCode);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('railway.json', () => {
  it('builds api/Dockerfile and starts what its CMD starts', () => {
    expect(railway.build).toMatchObject({ builder: 'DOCKERFILE', dockerfilePath: 'api/Dockerfile' });
    expect(existsSync(join(REPO_ROOT, railway.build?.dockerfilePath ?? 'missing'))).toBe(true);
    expect(railway.deploy?.startCommand).toBe(commandOf(runtimeStage).join(' '));
    expect(railway.deploy?.restartPolicyType).toBe('ON_FAILURE');
    // The embedded broker lives in the process: a second replica would be a second broker.
    expect(railway.deploy?.numReplicas).toBe(1);
  });

  it('names a health check path the api serves, the one the image HEALTHCHECK uses', () => {
    expect(railway.deploy?.healthcheckPath).toBe('/healthz');
    expect(readFileSync(join(REPO_ROOT, 'api/src/http/routes.ts'), 'utf8')).toContain(`app.get('${railway.deploy?.healthcheckPath}'`);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
  });

  it('leaves out what Railway refuses in a Dockerfile: VOLUME, cache mounts without its service id', () => {
    expect(dockerfile).not.toMatch(/^VOLUME/m);
    expect(dockerfile).not.toContain('--mount=type=cache');
  });
});

describe('the image start command on a PaaS (outside Docker)', () => {
  const log: string[] = [];
  let congo: CongoDb;
  let child: ChildProcess;
  let dataDir: string;
  let port: number;
  let url: string;
  const clients: MqttClient[] = [];
  const topics = new Topics('smartlock');

  beforeAll(async () => {
    const [program, ...args] = commandOf(runtimeStage);
    expect(program).toBe('node');
    const script = join(REPO_ROOT, args[0] ?? '');
    if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build:api first`);
    congo = await startCongoDb();
    dataDir = mkdtempSync(join(tmpdir(), 'smartlock-paas-'));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const vapid = generateVapidKeys();
    // Not the test's own environment: only PATH, so nothing of vitest's (NODE_ENV=test) leaks in.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...envOf(runtimeStage),
      // What Railway sets, and what docs/deploy.md tells the operator to set.
      PORT: String(port),
      RAILWAY_ENVIRONMENT: 'production',
      DATA_DIR: dataDir, // /data in the image; not writable here
      MONGODB_URI: congo.uri.replace('/?', `/smartlock-${randomUUID().slice(0, 8)}?`),
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `paas-${randomUUID().slice(0, 8)}:`,
      JWT_SECRET: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
      SECRETS_KEYS: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@locks.example',
      ALLOWED_ORIGINS: 'https://smartlock.up.railway.app',
      MQTT_WEBSOCKETS: 'true',
      TRUST_PROXY: '1',
      // In the container 1883/8883 are free but unreachable; here they may be taken by the machine's broker.
      MQTT_PORT: '0',
      MQTT_TLS_PORT: '0',
      LOG_FORMAT: 'json',
    };
    expect(envOf(runtimeStage)).toMatchObject({ NODE_ENV: 'production' });
    child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', (line) => log.push(line));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`the api exited (${child.exitCode}):\n${log.join('\n').slice(-3000)}`);
        return log.some((line) => line.includes('Smartlock api listening'));
      },
      60_000,
      100,
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await congo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on the PORT the platform gives, on MongoDB and Redis, and answers the health check path', async () => {
    const listening = JSON.parse(log.find((line) => line.includes('Smartlock api listening')) ?? '{}') as { store?: string; redis?: boolean; url?: string };
    expect(listening).toMatchObject({ store: 'mongo', redis: true });
    expect(listening.url).toContain(`:${port}`);
    const health = await fetch(`${url}${railway.deploy?.healthcheckPath ?? ''}`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
    expect(((await ready.json()) as { checks?: unknown }).checks).toEqual({ store: 'ok', redis: 'ok', mqtt: 'ok' });
  });

  async function lockOverWss(lock: Registered, headers: Record<string, string>): Promise<MqttClient> {
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${port}/mqtt`, {
      username: lock.mqttUsername,
      password: lock.mqttPassword,
      clientId: lock.deviceId,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      wsOptions: { headers },
    });
    clients.push(client);
    return client;
  }

  it("serves a lock over MQTT on WebSockets through the same port, as the PaaS's TLS edge forwards it", async () => {
    const owner = await signUp(`${url}/graphql`, 'owner');
    const lock = await registerLock({ httpUrl: `${url}/graphql` }, owner.accessToken);

    // Without the edge's word that it came over https, production refuses the upgrade.
    expect(await upgradeStatus(port, {})).toBe(403);
    expect(await upgradeStatus(port, { 'x-forwarded-proto': 'https' })).toBe(101);

    const client = await lockOverWss(lock, { 'x-forwarded-proto': 'https' });
    const commands: string[] = [];
    client.on('message', (_topic, payload) => commands.push(payload.toString()));
    await client.subscribeAsync(topics.of(lock.deviceId, 'cmd'), { qos: 1 });
    await publishStatus({ topics }, client, lock, signedStatus(lock, { seq: 1 }));
    await eventually(async () => {
      const seen = await gql<{ lock: { state: string; online: boolean } }>(`${url}/graphql`, LOCK_QUERY, { d: lock.deviceId }, owner.accessToken);
      return seen.data?.lock.state === 'AVAILABLE' && seen.data.lock.online;
    }, 10_000);
    const sent = await gql<{ unlock: { id: string } }>(`${url}/graphql`, UNLOCK, { d: lock.deviceId }, owner.accessToken);
    const id = sent.data?.unlock.id;
    expect(id, JSON.stringify(sent.errors)).toBeTypeOf('string');
    await eventually(async () => commands.some((command) => command.includes(`"${id}"`)), 10_000);
  }, 60_000);
});

describe('the start command on a PaaS without a managed MongoDB', () => {
  it('refuses to start, naming MONGODB_URI', async () => {
    const [, ...args] = commandOf(runtimeStage);
    const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-paas-'));
    try {
      const vapid = generateVapidKeys();
      const secret = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
      const child = spawn(process.execPath, args, {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...envOf(runtimeStage), PORT: String(await freePort()), DATA_DIR: dataDir, RAILWAY_ENVIRONMENT: 'production', JWT_SECRET: secret, SECRETS_KEYS: secret, VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@locks.example', ALLOWED_ORIGINS: '*', MQTT_PORT: '0', MQTT_TLS_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect(code).not.toBe(0);
      expect(output).toContain('MONGODB_URI: is required when NODE_ENV=production on a disk wiped at each redeploy');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
