import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.js';
import type { LockLink } from './broker/lock-link.js';
import { DeviceKeys } from './device-keys.js';
import { Topics } from './protocol/topics.js';
import { verifyTime } from './protocol/verify.js';
import { verifyFromServerV2 } from './protocol/verify-v2.js';
import { deriveKey } from './protocol/keys.js';
import { TimeSync } from './time-sync.js';

function rig() {
  const sent: { topic: string; payload: string; qos: number }[] = [];
  const link: LockLink = {
    start: async () => {},
    stop: async () => {},
    publish: async (topic, payload, { qos }) => void sent.push({ topic, payload, qos }),
    onMessage: () => {},
    isConnected: () => true,
  };
  const keys = new DeviceKeys([randomBytes(32)]);
  const secret = randomBytes(32);
  const lock = { deviceId: 'front-door', secretSealed: keys.seal('front-door', secret), protocolVersion: 1 as const };
  let now = 1_795_760_000_700;
  const sync = new TimeSync({ link, keys, topics: new Topics('P'), log: createLogger('silent'), now: () => now });
  return { sent, lock, secret, sync, advance: (ms: number) => (now += ms) };
}

describe('TimeSync', () => {
  it('sends a signed time message on the cmd topic echoing the status it answers', () => {
    const { sent, lock, secret, sync } = rig();
    sync.answer(lock, 3, 42, 'stale');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ topic: 'P/front-door/cmd', qos: 1 });
    const verified = verifyTime(secret, sent[0]?.payload ?? '', 'front-door');
    expect(verified).toEqual({ verdict: 'valid', message: { v: 1, type: 'time', dev: 'front-door', boot: 3, seq: 42, ts: 1795760000 } });
  });

  it('signs the time in the lock\'s negotiated version: v2 with the cmd key, never with K', () => {
    const { sent, lock, secret, sync } = rig();
    sync.answer({ ...lock, protocolVersion: 2 }, 5, 2, 'stale');
    const payload = sent[0]?.payload ?? '';
    expect(verifyFromServerV2(deriveKey(secret, 'cmd'), payload, 'front-door', ['time'])).toEqual({ verdict: 'valid', message: { v: 2, type: 'time', dev: 'front-door', boot: 5, seq: 2, ts: 1795760000 } });
    expect(verifyTime(secret, payload, 'front-door').verdict).toBe('bad_signature');
  });

  it('answers stale statuses at most once a second and drift once a minute, but a new boot at once', () => {
    const { sent, lock, sync, advance } = rig();
    sync.answer(lock, 3, 1, 'stale');
    sync.answer(lock, 3, 2, 'stale');
    expect(sent).toHaveLength(1);
    sync.answer(lock, 4, 1, 'stale'); // rebooted: it has lost its time
    expect(sent).toHaveLength(2);
    advance(1000);
    sync.answer(lock, 4, 2, 'stale');
    expect(sent).toHaveLength(3);
    advance(30_000);
    sync.answer(lock, 4, 3, 'drift');
    expect(sent).toHaveLength(3);
    advance(30_000);
    sync.answer(lock, 4, 4, 'drift');
    expect(sent).toHaveLength(4);
  });

  it('answers at once a status in another version than the last answer: the lock dropped that one after its welcome', () => {
    const { sent, lock, secret, sync } = rig();
    sync.answer(lock, 7, 2, 'stale'); // v1: the rebooted lock's status before its welcome
    sync.answer({ ...lock, protocolVersion: 3 }, 7, 3, 'stale'); // v3, moments later: the v1 time is useless to it now
    expect(sent).toHaveLength(2);
    const payload = sent[1]?.payload ?? '';
    expect(verifyFromServerV2(deriveKey(secret, 'cmd'), payload, 'front-door', ['time'])).toMatchObject({ verdict: 'valid', message: { v: 3, boot: 7, seq: 3 } });
    sync.answer({ ...lock, protocolVersion: 3 }, 7, 4, 'stale');
    expect(sent).toHaveLength(2); // and the limit holds again within that version
  });
});
