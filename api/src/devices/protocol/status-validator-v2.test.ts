import { describe, expect, it } from 'vitest';
import { statusMessageV2 } from './messages-v2.js';
import { checkStatusV2 } from './status-validator-v2.js';

const valid = {
  v: 3, type: 'status', dev: 'front-door', boot: 3, seq: 42, status: 'UNLOCKED', door: 'CLOSED', src: 'REMOTE', cid: 'c-9', ctr: 7, ts: 1795760001,
  uptime: 12, rssi: -60, battery: 80, power: 'BATTERY', issue: '', fw: '3.0.0', hb: 60, ack: { id: 'c-9', result: 'ok' },
};

/** Each mutation is applied to a copy of `valid`; both validators must agree on every one. */
const mutations: [string, (m: Record<string, unknown>) => void][] = [
  ['nothing', () => undefined],
  ['minimal', (m) => ['uptime', 'rssi', 'battery', 'power', 'issue', 'fw', 'hb', 'ack'].forEach((k) => delete m[k])],
  ['a manual change without cid', (m) => ((m.src = 'MANUAL'), delete m.cid)],
  ['v 2 without hb', (m) => ((m.v = 2), delete m.hb)],
  ['v 2 with hb', (m) => (m.v = 2)],
  ['v 1', (m) => (m.v = 1)],
  ['v 4', (m) => (m.v = 4)],
  ['v as a string', (m) => (m.v = '3')],
  ['type hello', (m) => (m.type = 'hello')],
  ['unknown member', (m) => (m.extra = 1)],
  ['bad dev', (m) => (m.dev = 'a/b')],
  ['boot 0', (m) => (m.boot = 0)],
  ['seq fraction', (m) => (m.seq = 1.5)],
  ['status LOCKING', (m) => (m.status = 'LOCKING')],
  ['status lower', (m) => (m.status = 'locked')],
  ['door OPEN', (m) => (m.door = 'OPEN')],
  ['door AJAR', (m) => (m.door = 'AJAR')],
  ['door missing', (m) => delete m.door],
  ['src BLE', (m) => ((m.src = 'BLE'), delete m.cid)],
  ['src KEY', (m) => (m.src = 'KEY')],
  ['src missing', (m) => delete m.src],
  ['REMOTE without cid', (m) => delete m.cid],
  ['cid with MANUAL', (m) => (m.src = 'MANUAL')],
  ['cid bad', (m) => (m.cid = 'c 9')],
  ['cid null', (m) => (m.cid = null)],
  ['hb 9', (m) => (m.hb = 9)],
  ['hb 8', (m) => (m.hb = 8)],
  ['hb 300', (m) => (m.hb = 300)],
  ['hb 301', (m) => (m.hb = 301)],
  ['hb fraction', (m) => (m.hb = 9.5)],
  ['hb null', (m) => (m.hb = null)],
  ['ctr negative', (m) => (m.ctr = -1)],
  ['ts missing', (m) => delete m.ts],
  ['rssi positive', (m) => (m.rssi = 5)],
  ['battery 101', (m) => (m.battery = 101)],
  ['battery null', (m) => (m.battery = null)],
  ['power SOLAR', (m) => (m.power = 'SOLAR')],
  ['issue long', (m) => (m.issue = 'x'.repeat(65))],
  ['fw long', (m) => (m.fw = 'x'.repeat(33))],
  ['ack extra', (m) => (m.ack = { id: 'c-9', result: 'ok', more: 1 })],
  ['ack ok with a reason', (m) => (m.ack = { id: 'c-9', result: 'ok', reason: 'x' })],
  ['ack rejected with a reason', (m) => (m.ack = { id: 'c-9', result: 'rejected', reason: 'door_open' })],
  ['ack array', (m) => (m.ack = [])],
  ['upd in v3', (m) => (m.upd = { id: 'upd-1', state: 'DOWNLOADING' })],
  ['upd failed without a reason', (m) => (m.upd = { id: 'upd-1', state: 'FAILED' })],
  ['upd in v2', (m) => ((m.v = 2), delete m.hb, (m.upd = { id: 'upd-1', state: 'DOWNLOADING' }))],
  ['upd null', (m) => (m.upd = null)],
  ['ble in v3', (m) => (m.ble = '0123456789abcdef.U.1795760000')],
  ['ble malformed', (m) => (m.ble = '0123456789abcdef.X.1')],
  ['ble in v2', (m) => ((m.v = 2), delete m.hb, (m.ble = '0123456789abcdef.U.1795760000'))],
];

describe('the hand-written v2/v3 status validator', () => {
  it.each(mutations)('agrees with the zod schema: %s', (_name, mutate) => {
    const message = structuredClone(valid) as Record<string, unknown>;
    mutate(message);
    expect(checkStatusV2(message).ok).toBe(statusMessageV2.safeParse(message).success);
  });

  it('takes the valid message as it is', () => {
    expect(checkStatusV2(valid)).toEqual({ ok: true, message: valid });
  });

  it('names the field at fault', () => {
    expect(checkStatusV2({ ...valid, hb: 301 })).toEqual({ ok: false, detail: 'hb: invalid' });
    expect(checkStatusV2({ ...valid, src: 'MANUAL' })).toEqual({ ok: false, detail: 'cid: cid is required with src REMOTE and only with it' });
  });
});
