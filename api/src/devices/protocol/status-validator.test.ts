import { describe, expect, it } from 'vitest';
import { statusMessage } from './messages.js';
import { checkStatus } from './status-validator.js';

const valid = {
  v: 1, type: 'status', dev: 'front-door', boot: 3, seq: 42, status: 'UNLOCKED', ctr: 7, ts: 1795760001,
  uptime: 12, rssi: -60, battery: 80, power: 'BATTERY', issue: '', fw: '1.0.0', ack: { id: 'c-1', result: 'rejected', reason: 'x' },
};

/** Each mutation is applied to a copy of `valid`; both validators must agree on every one. */
const mutations: [string, (m: Record<string, unknown>) => void][] = [
  ['nothing', () => undefined],
  ['minimal', (m) => ['uptime', 'rssi', 'battery', 'power', 'issue', 'fw', 'ack'].forEach((k) => delete m[k])],
  ['unknown member', (m) => (m.extra = 1)],
  ['v 2', (m) => (m.v = 2)],
  ['type cmd', (m) => (m.type = 'cmd')],
  ['bad dev', (m) => (m.dev = 'a/b')],
  ['boot 0', (m) => (m.boot = 0)],
  ['boot fraction', (m) => (m.boot = 1.5)],
  ['boot string', (m) => (m.boot = '1')],
  ['seq huge', (m) => (m.seq = 2 ** 60)],
  ['status lower', (m) => (m.status = 'locked')],
  ['ctr negative', (m) => (m.ctr = -1)],
  ['ctr zero', (m) => (m.ctr = 0)],
  ['ts null', (m) => (m.ts = null)],
  ['rssi positive', (m) => (m.rssi = 5)],
  ['rssi floor', (m) => (m.rssi = -200)],
  ['battery 101', (m) => (m.battery = 101)],
  ['battery 0', (m) => (m.battery = 0)],
  ['power bad', (m) => (m.power = 'SOLAR')],
  ['issue long', (m) => (m.issue = 'x'.repeat(65))],
  ['issue 64', (m) => (m.issue = 'x'.repeat(64))],
  ['fw long', (m) => (m.fw = 'x'.repeat(33))],
  ['ack array', (m) => (m.ack = [])],
  ['ack null', (m) => (m.ack = null)],
  ['ack extra', (m) => (m.ack = { id: 'c-1', result: 'ok', more: 1 })],
  ['ack bad id', (m) => (m.ack = { id: 'c 1', result: 'ok' })],
  ['ack bad result', (m) => (m.ack = { id: 'c-1', result: 'done' })],
  ['ack long reason', (m) => (m.ack = { id: 'c-1', result: 'rejected', reason: 'x'.repeat(33) })],
  ['ack without reason', (m) => (m.ack = { id: 'c-1', result: 'failed' })],
  ['ok ack without reason', (m) => (m.ack = { id: 'c-1', result: 'ok' })],
  ['ok ack with a reason', (m) => (m.ack = { id: 'c-1', result: 'ok', reason: 'replay' })],
  ['ok ack with an empty reason', (m) => (m.ack = { id: 'c-1', result: 'ok', reason: '' })],
  ['missing seq', (m) => delete m.seq],
  ['missing status', (m) => delete m.status],
];

describe('the hand-written status validator', () => {
  it.each(mutations)('agrees with the zod schema: %s', (_name, mutate) => {
    const message = structuredClone(valid) as Record<string, unknown>;
    mutate(message);
    expect(checkStatus(message).ok).toBe(statusMessage.safeParse(message).success);
  });

  it('refuses a reason on an ok ack, saying why', () => {
    expect(checkStatus({ ...valid, ack: { id: 'c-1', result: 'ok', reason: 'replay' } })).toEqual({ ok: false, detail: 'ack.reason: only a result that is not ok has a reason' });
  });

  it('names the field at fault', () => {
    const result = checkStatus({ ...valid, battery: 101 });
    expect(result).toEqual({ ok: false, detail: 'battery: invalid' });
  });
});
