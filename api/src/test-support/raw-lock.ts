/** A lock as raw MQTT for tests that craft their own signed statuses (stale, replayed, racing). */
import mqtt, { type MqttClient } from 'mqtt';
import { statusJson, type StatusMessage } from '../devices/protocol/messages.js';
import { signPayload } from '../devices/protocol/signature.js';
import type { Topics } from '../devices/protocol/topics.js';
import type { LockRecord } from '../store/records.js';
import { registerLock, type Registered } from './locks.js';
import { eventually } from './subscriptions.js';
import type { TestApp } from './test-app.js';

type App = Pick<TestApp, 'brokerUrl' | 'httpUrl'> & { topics: Topics; services: { store: { locks: { findByDeviceId(id: string): Promise<LockRecord | null> } } } };

export async function rawLock(app: Pick<TestApp, 'brokerUrl'>, lock: Registered): Promise<MqttClient> {
  const client = mqtt.connect(app.brokerUrl, { username: lock.mqttUsername, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** A status signed with the lock's secret: boot 1, seq 1, LOCKED, ts now, unless `fields` say otherwise. */
export function signedStatus(lock: Registered, fields: Partial<StatusMessage>): string {
  const message: StatusMessage = { v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq: 1, status: 'LOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000), ...fields };
  return signPayload(Buffer.from(lock.deviceSecret, 'hex'), statusJson(message));
}

export function publishStatus(app: Pick<App, 'topics'>, client: MqttClient, lock: Registered, payload: string): Promise<unknown> {
  return client.publishAsync(app.topics.of(lock.deviceId, 'status'), payload, { qos: 1 });
}

/** A registered lock that is Available and LOCKED after one fresh status (boot 1, seq 1). */
export async function onlineRawLock(app: App, token: string): Promise<{ lock: Registered; client: MqttClient }> {
  const lock = await registerLock(app, token);
  const client = await rawLock(app, lock);
  await publishStatus(app, client, lock, signedStatus(lock, { seq: 1 }));
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
  return { lock, client };
}
