/**
 * HOMEASSISTANT_USER may be an admin, who can see and command every lock through GraphQL: the
 * bridge must still expose and act on that user's own locks only.
 */
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { plainMosquittoUnavailable, startPlainMosquitto, type PlainMosquitto } from '../src/test-support/plain-mosquitto.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let broker: PlainMosquitto;
let app: TestApp;
let bob: AuthResult;
const sims: SimulatedLock[] = [];

describe.skipIf(plainMosquittoUnavailable() !== null)('Home Assistant bridge for an admin', () => {
  beforeAll(async () => {
    broker = await startPlainMosquitto();
    app = await startTestApp({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'root password here',
      HOMEASSISTANT_MQTT_URL: broker.url,
      HOMEASSISTANT_MQTT_USERNAME: broker.username,
      HOMEASSISTANT_MQTT_PASSWORD: broker.password,
      HOMEASSISTANT_USER: 'root',
      HOMEASSISTANT_PIN: '24680',
    });
    bob = await signUp(app.httpUrl, 'bob');
  }, 30_000);

  afterAll(async () => {
    for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
    await app?.close();
    await broker?.stop();
  });

  it('neither exposes nor unlocks a lock the admin does not own', async () => {
    const signIn = await gql<{ signIn: AuthResult }>(app.httpUrl, 'mutation { signIn(username: "root", password: "root password here") { accessToken } }');
    const root = signIn.data?.signIn as AuthResult;
    const bobs = await registerLock(app, bob.accessToken, 'bob-shed', 'Shed');
    const bobsSim = await startLock(app, bobs);
    sims.push(bobsSim);
    sims.push(await startLock(app, await registerLock(app, root.accessToken, 'root-office', 'Office')));

    const ha = await connectAsync(broker.url, { username: broker.username, password: broker.password, reconnectPeriod: 0 });
    const topics: string[] = [];
    ha.on('message', (topic) => topics.push(topic));
    await ha.subscribeAsync('homeassistant/#', { qos: 1 });
    await eventually(async () => topics.includes('homeassistant/lock/smartlock_root-office/config'));
    await eventually(async () => (await app.services.store.locks.findByDeviceId('bob-shed'))?.state === 'AVAILABLE');

    await ha.publishAsync('homeassistant/lock/smartlock_bob-shed/set', JSON.stringify({ action: 'UNLOCK', code: '24680' }), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(bobsSim.status).toBe('LOCKED');
    expect((await app.services.store.commands.listByDevice('bob-shed', { first: 10 })).items).toEqual([]);
    expect(topics.filter((topic) => topic.includes('bob-shed'))).toEqual(['homeassistant/lock/smartlock_bob-shed/set']);
    await ha.endAsync();
  });

  it('marks the locks offline in Home Assistant when the api stops', async () => {
    const ha = await connectAsync(broker.url, { username: broker.username, password: broker.password, reconnectPeriod: 0 });
    const availability: string[] = [];
    ha.on('message', (_topic, payload) => availability.push(payload.toString()));
    await ha.subscribeAsync('homeassistant/lock/smartlock_root-office/availability', { qos: 1 });
    // The office lock runs: online first, so that the offline below comes from the stop.
    await eventually(async () => availability.at(-1) === 'online');
    await app.close();
    await eventually(async () => availability.at(-1) === 'offline');
    await ha.endAsync();
  });
});
