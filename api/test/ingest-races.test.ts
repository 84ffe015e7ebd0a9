import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import { deriveKey } from '../src/devices/protocol/keys.js';
import { helloJson } from '../src/devices/protocol/messages-v2.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import type { LockLink } from '../src/devices/broker/lock-link.js';
import { DroppedMessages } from '../src/devices/dropped-messages.js';
import { StatusIngest, type StatusIngestDeps } from '../src/devices/status-ingest.js';
import type { LockAlerts } from '../src/alerts/lock-alerts.js';
import { ProtocolNegotiation, type NegotiationDeps } from '../src/devices/protocol-negotiation.js';
import { TimeSync } from '../src/devices/time-sync.js';
import { signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { handKeptBrokerAccounts } from '../src/devices/broker/broker-accounts.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { sendUnlock as sendUnlockAs } from '../src/test-support/lock-operations.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  // Longer than any wait below: a command completes by its ack, never by the timeout.
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  owner = await signUp(app.httpUrl, 'raceowner');
});
afterAll(async () => {
  await app.close();
});

const status = signedStatus;
const publish = (client: MqttClient, lock: Registered, payload: string) => publishStatus(app, client, lock, payload);
const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);
const replays = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(/reason="replay"} (\d+)/.exec(text)?.[1] ?? 0);
};
const heartbeats = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_status_accepted_total');
  return Number(/kind="heartbeat"} (\d+)/.exec(text)?.[1] ?? 0);
};

const onlineLock = () => onlineRawLock(app, owner.accessToken);

const sendUnlock = (deviceId: string) => sendUnlockAs(app.httpUrl, owner.accessToken, deviceId);

const commandState = async (id: string) => (await app.services.store.commands.findById(id))?.state;

/** A second api replica over the same store, whose clock the test sets; `welcomed` runs after each welcome. */
function replica(now: () => number, extra: Partial<StatusIngestDeps> = {}, welcomed?: NegotiationDeps['welcomed']): StatusIngest {
  const { store, keys, commands, audit, events, metrics } = app.services;
  const log = createLogger('silent');
  const link: LockLink = { start: async () => {}, stop: async () => {}, publish: async () => {}, onMessage: () => {}, isConnected: () => true };
  const dropped = new DroppedMessages(metrics, audit, log);
  return new StatusIngest({
    store, keys, topics: app.topics, commands, audit, events, metrics, log, now, dropped,
    flushMs: 1000,
    maxSkewS: 120,
    timeSync: new TimeSync({ link, keys, topics: app.topics, log }),
    negotiation: new ProtocolNegotiation({ store, keys, link, accounts: handKeptBrokerAccounts, topics: app.topics, audit, dropped, log, ...(welcomed ? { welcomed } : {}) }),
    lockConfig: app.services.lockConfig,
    ...extra,
  });
}

describe('an ack whose status lost the (boot, seq) race still completes its command', () => {
  it('when a coalesced heartbeat with a higher seq was accepted first', async () => {
    const { lock, client } = await onlineLock();
    const id = await sendUnlock(lock.deviceId);
    const before = await replays();
    const heartbeatsBefore = await heartbeats();
    await publish(client, lock, status(lock, { seq: 3 })); // heartbeat, overtook the ack (QoS 0 vs a QoS 1 retry)
    await eventually(async () => (await heartbeats()) === heartbeatsBefore + 1);
    await publish(client, lock, status(lock, { seq: 2, status: 'UNLOCKED', ctr: 1, ack: { id, result: 'ok' } }));
    await eventually(async () => (await replays()) === before + 1);
    await eventually(async () => (await commandState(id)) === 'SUCCEEDED');
    // The state itself is not taken from the losing status: the next one shows the bolt.
    expect((await stored(lock.deviceId))?.status).toBe('LOCKED');
    client.end(true);
  });

  it('when another replica stored a newer (boot, seq) meanwhile', async () => {
    const { lock, client } = await onlineLock();
    const id = await sendUnlock(lock.deviceId);
    // Replica B (shared subscription) accepted seq 5; this replica's cache still says seq 1.
    await app.services.store.locks.applyStatus({ deviceId: lock.deviceId, boot: 1, seq: 5, patch: { lastSeen: new Date() } });
    await publish(client, lock, status(lock, { seq: 4, status: 'UNLOCKED', ctr: 1, ack: { id, result: 'ok' } }));
    await eventually(async () => (await commandState(id)) === 'SUCCEEDED');
    client.end(true);
  });

  it('but not when the losing status is stale', async () => {
    const { lock, client } = await onlineLock();
    const id = await sendUnlock(lock.deviceId);
    await publish(client, lock, status(lock, { seq: 3 }));
    const before = await replays();
    await publish(client, lock, status(lock, { seq: 2, ctr: 1, ts: Math.floor(Date.now() / 1000) - 600, ack: { id, result: 'ok' } }));
    await eventually(async () => (await replays()) === before + 1);
    expect(await commandState(id)).toBe('SENT');
    client.end(true);
  });
});

/** A step the test holds: `reached` once the ingest is in it, and it goes on at `release()`. */
function heldStep() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let enter = () => {};
  const reached = new Promise<void>((resolve) => (enter = resolve));
  return { reached, release, hold: async () => (enter(), await gate) };
}

/** A rotation started on a GraphQL request meanwhile: stored, then announced; the replica's cache follows. */
async function rotationStartedMeanwhile(ingest: StatusIngest, deviceId: string): Promise<void> {
  const rotating = await app.services.store.locks.update(deviceId, { rekeyId: 'rekey-race' });
  if (!rotating) throw new Error('lock gone');
  app.services.events.publish('lock.changed', rotating);
  await eventually(async () => ingest.known(deviceId)?.rekeyId === 'rekey-race');
}

describe('a row changed elsewhere while a message is being handled is not undone in the ingest cache', () => {
  it('by the row a visible change was applied to (the alerts step after it held)', async () => {
    const { lock, client } = await onlineLock();
    const step = heldStep();
    const alerts = { evaluate: async (row: Parameters<LockAlerts['evaluate']>[0]) => (await step.hold(), row) } as unknown as LockAlerts; // only evaluate is used
    const ingest = replica(Date.now, { alerts });
    ingest.start();
    try {
      ingest.handle({ topic: app.topics.of(lock.deviceId, 'status'), payload: Buffer.from(status(lock, { seq: 2, status: 'UNLOCKED' })), retain: false });
      await step.reached;
      await rotationStartedMeanwhile(ingest, lock.deviceId);
      step.release();
      await eventually(async () => ingest.backlog === 0); // the status fully handled
      expect(await stored(lock.deviceId)).toMatchObject({ status: 'UNLOCKED', rekeyId: 'rekey-race' });
      // Its next ack must find the rotation (a stale row would drop a rekey's answer unread).
      expect(ingest.known(lock.deviceId)).toMatchObject({ rekeyId: 'rekey-race', status: 'UNLOCKED' });
    } finally {
      step.release();
      await ingest.stop();
      client.end(true);
    }
  });

  it('by the row a hello was welcomed with (the after-welcome step held)', async () => {
    const { lock, client } = await onlineLock();
    const step = heldStep();
    const ingest = replica(Date.now, {}, step.hold);
    ingest.start();
    try {
      const hello = helloJson({ v: 2, type: 'hello', dev: lock.deviceId, boot: 1, seq: 2, vers: '1,2', ts: Math.floor(Date.now() / 1000), fw: 'hand-2.0' });
      ingest.handle({ topic: app.topics.of(lock.deviceId, 'status'), payload: Buffer.from(signPayload(deriveKey(Buffer.from(lock.deviceSecret, 'hex'), 'status'), hello)), retain: false });
      await step.reached;
      await rotationStartedMeanwhile(ingest, lock.deviceId);
      step.release();
      await eventually(async () => ingest.backlog === 0);
      expect(ingest.known(lock.deviceId)).toMatchObject({ rekeyId: 'rekey-race', protocolVersion: 2 });
    } finally {
      step.release();
      await ingest.stop();
      client.end(true);
    }
  });
});

describe('the will (availability offline) and newer statuses', () => {
  const will = (deviceId: string) => ({ topic: app.topics.of(deviceId, 'availability'), payload: Buffer.from('offline'), retain: true });

  it('does not overwrite a status another replica accepted after the will arrived', async () => {
    const { lock, client } = await onlineLock();
    // Replica A received the will 5 s ago (it sat in A's queue); this replica accepted a status since.
    const replicaA = replica(() => Date.now() - 5000);
    replicaA.handle(will(lock.deviceId));
    await replicaA.stop();
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'AVAILABLE', issue: null });
    client.end(true);
  });

  it('marks the lock Unavailable when its last status and the will arrive in the same millisecond', async () => {
    const lock = await registerLock(app, owner.accessToken);
    // One TCP read can carry both: the status, then the will, handled in that order at the same clock reading.
    const frozen = Date.now();
    const sameMs = replica(() => frozen);
    sameMs.handle({ topic: app.topics.of(lock.deviceId, 'status'), payload: Buffer.from(status(lock, { seq: 1 })), retain: false });
    sameMs.handle(will(lock.deviceId));
    await sameMs.stop();
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'Connection lost' });
  });

  it('marks the lock Unavailable when no status was accepted after the will arrived', async () => {
    const { lock, client } = await onlineLock();
    const replicaA = replica(() => Date.now() + 1000);
    replicaA.handle(will(lock.deviceId));
    await replicaA.stop();
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'Connection lost' });
    client.end(true);
  });
});

describe('a heartbeat replayed after a crash', () => {
  it('is not accepted again when its seq was only in the unflushed batch', async () => {
    const { lock, client } = await onlineLock(); // seq 1 written at once (a change), with its ts
    const message = (seq: number, ts: number) => ({ topic: app.topics.of(lock.deviceId, 'status'), payload: Buffer.from(status(lock, { seq, ts })), retain: false });
    const sentAt = Math.floor(Date.now() / 1000);
    const heartbeat = message(2, sentAt);

    const crashed = replica(() => Date.now());
    const accepted = await heartbeats();
    crashed.handle(heartbeat);
    await eventually(async () => (await heartbeats()) === accepted + 1);
    // The process dies here: no stop(), so its pending batch (holding seq 2) is never written.

    const restarted = replica(() => Date.now() + 5000); // the restart took 5 s
    const before = await replays();
    restarted.handle(heartbeat); // replayed by an attacker, or redelivered
    await eventually(async () => (await replays()) === before + 1);
    restarted.handle(message(3, sentAt + 5)); // the lock's next heartbeat is accepted at once
    await restarted.stop(); // flushes
    expect(await stored(lock.deviceId)).toMatchObject({ lastSeq: 3, lastTs: sentAt + 5 });
    client.end(true);
  });
});

