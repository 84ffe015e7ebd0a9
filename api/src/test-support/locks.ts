/** Lock fixtures for tests: register through GraphQL, run a simulated lock against the api's broker. */
import { randomUUID } from 'node:crypto';
import { MemoryCounterStore } from '../simulator/counter-store.js';
import { SimulatedLock, type SimulatedLockOptions } from '../simulator/simulated-lock.js';
import { gql } from './graphql-client.js';
import type { TestApp } from './test-app.js';

export interface Registered {
  deviceId: string;
  deviceSecret: string;
  mqttUsername: string;
  mqttPassword: string;
}

export const REGISTER = `mutation ($d: ID!, $n: String!) {
  registerLock(deviceId: $d, name: $n) { deviceSecret mqttUsername mqttPassword lock { deviceId name status state online owner { username } } }
}`;

export async function registerLock(app: Pick<TestApp, 'httpUrl'>, token: string, deviceId = `lock-${randomUUID().slice(0, 8)}`, name = 'Front door'): Promise<Registered> {
  const response = await gql<{ registerLock: Omit<Registered, 'deviceId'> & { lock: { deviceId: string } } }>(app.httpUrl, REGISTER, { d: deviceId, n: name }, token);
  const registration = response.data?.registerLock;
  if (!registration) throw new Error(`registerLock failed: ${JSON.stringify(response.errors)}`);
  return { deviceId: registration.lock.deviceId, deviceSecret: registration.deviceSecret, mqttUsername: registration.mqttUsername, mqttPassword: registration.mqttPassword };
}

/** rotateDeviceSecret as the owner: the lock under its new secret (same device id). */
export async function rotateLockSecret(app: Pick<TestApp, 'httpUrl'>, token: string, lock: Registered): Promise<Registered> {
  const response = await gql<{ rotateDeviceSecret: { deviceSecret: string; mqttPassword: string } }>(
    app.httpUrl,
    'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret mqttPassword } }',
    { d: lock.deviceId },
    token,
  );
  const fresh = response.data?.rotateDeviceSecret;
  if (!fresh) throw new Error(`rotateDeviceSecret failed: ${JSON.stringify(response.errors)}`);
  return { ...lock, deviceSecret: fresh.deviceSecret, mqttPassword: fresh.mqttPassword };
}

/** `app` may be a TestApp or a spawned server (brokerUrl and the topic prefix are all it needs). */
export async function startLock(app: Pick<TestApp, 'brokerUrl'> & { topics: { prefix: string } }, lock: Registered, options: Partial<SimulatedLockOptions> = {}): Promise<SimulatedLock> {
  const sim = new SimulatedLock({
    brokerUrl: app.brokerUrl,
    deviceId: lock.deviceId,
    deviceSecret: lock.deviceSecret,
    topicPrefix: app.topics.prefix,
    heartbeatMs: 60_000,
    state: new MemoryCounterStore(),
    ...options,
  });
  await sim.start();
  return sim;
}
