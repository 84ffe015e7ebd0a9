import { describe, expect, it } from 'vitest';
import { signPayload } from './signature.js';
import { statusV2Json, type StatusMessageV2 } from './messages-v2.js';
import { updatePayload, updateJson, type UpdateMessage } from './messages-v3-update.js';
import { verifyFromLockV2, verifyFromServerV2 } from './verify-v2.js';

const key = Buffer.alloc(32, 9);
const MAN = `sl-fw1;hw=esp32;fw=2.1.0;arc=3;size=1024;sha256=${'a'.repeat(64)}`;
const BODY: Omit<UpdateMessage, 'v' | 'type'> = {
  dev: 'lock-1',
  id: 'upd-6f1c2b9e-0d7a-4c1e-9a55-0e1d2c3b4a59',
  ctr: 7,
  ts: 1_764_489_600,
  url: 'http://192.168.1.20:4000/firmware/aaaa.bin',
  man: MAN,
  msig: 'b'.repeat(128),
};
const STATUS: StatusMessageV2 = {
  v: 3,
  type: 'status',
  dev: 'lock-1',
  boot: 2,
  seq: 5,
  status: 'LOCKED',
  door: 'CLOSED',
  src: 'BOOT',
  ctr: 7,
  ts: 1_764_489_600,
  uptime: 10,
  rssi: -50,
  issue: '',
  fw: '2.1.0',
  upd: { id: BODY.id, state: 'TRIAL' },
};

/** Signs an arbitrary JSON text as a peer would (to test the closed schema, not the signer). */
const signed = (json: string) => signPayload(key, json);
const asUpdate = (payload: string, device = 'lock-1', versions: readonly (2 | 3)[] = [3]) => verifyFromServerV2(key, payload, device, ['update'], versions);
const asStatus = (payload: string) => verifyFromLockV2(key, payload, 'lock-1', ['status']);

describe('protocol v3 update codec', () => {
  it('writes the members in the fixed order and verifies what it signs', () => {
    expect(updateJson({ v: 3, type: 'update', ...BODY })).toBe(
      `{"v":3,"type":"update","dev":"lock-1","id":"${BODY.id}","ctr":7,"ts":1764489600,"url":"${BODY.url}","man":"${MAN}","msig":"${'b'.repeat(128)}"}`,
    );
    const payload = updatePayload(key, BODY);
    expect(asUpdate(payload)).toEqual({ verdict: 'valid', message: { v: 3, type: 'update', ...BODY } });
    expect(verifyFromServerV2(Buffer.alloc(32, 1), payload, 'lock-1', ['update'], [3]).verdict).toBe('bad_signature');
    expect(asUpdate(payload, 'lock-2').verdict).toBe('wrong_device');
    // A lock welcomed into v2 has no update.
    expect(asUpdate(payload, 'lock-1', [2]).verdict).toBe('bad_version');
    expect(asUpdate(signed(updateJson({ v: 3, type: 'update', ...BODY }).replace('"v":3', '"v":2')), 'lock-1', [2]).verdict).toBe('wrong_type');
  });

  it.each([
    ['an unknown member', { extra: 1 }],
    ['an http-less url', { url: 'ftp://x/y.bin' }],
    ['a url over 200 characters', { url: `http://x/${'a'.repeat(200)}` }],
    ['a url with a quote', { url: 'http://x/"y' }],
    ['a bad manifest', { man: MAN.replace('sl-fw1', 'sl-fw9') }],
    ['an upper-case msig', { msig: 'B'.repeat(128) }],
    ['an id without upd-', { id: 'cmd-1' }],
    ['ctr 0', { ctr: 0 }],
  ])('refuses an update with %s', (_name, change) => {
    const json = JSON.stringify({ v: 3, type: 'update', ...BODY, ...change });
    expect(asUpdate(signed(json)).verdict).toBe('malformed');
  });

  it('writes upd after ack and verifies a v3 status with it', () => {
    const json = statusV2Json({ ...STATUS, ack: { id: BODY.id, result: 'ok' } });
    expect(json.endsWith(`"ack":{"id":"${BODY.id}","result":"ok"},"upd":{"id":"${BODY.id}","state":"TRIAL"}}`)).toBe(true);
    expect(asStatus(signed(json)).verdict).toBe('valid');
    const failed = statusV2Json({ ...STATUS, upd: { id: BODY.id, state: 'ROLLED_BACK', reason: 'no_welcome' } });
    expect(asStatus(signed(failed))).toMatchObject({ verdict: 'valid', message: { upd: { state: 'ROLLED_BACK', reason: 'no_welcome' } } });
  });

  it.each([
    ['a reason with a progress state', { id: BODY.id, state: 'DOWNLOADING', reason: 'download' }],
    ['FAILED without a reason', { id: BODY.id, state: 'FAILED' }],
    ['an unknown state', { id: BODY.id, state: 'DONE' }],
    ['an unknown reason', { id: BODY.id, state: 'FAILED', reason: 'gremlins' }],
    ['an unknown member', { id: BODY.id, state: 'TRIAL', pct: 50 }],
    ['a bad id', { id: 'x', state: 'TRIAL' }],
  ])('refuses a status whose upd has %s', (_name, upd) => {
    const json = JSON.stringify({ ...STATUS, upd });
    expect(asStatus(signed(json)).verdict).toBe('malformed');
  });

  it('refuses upd in a v2 status: new members come with a new version', () => {
    const json = JSON.stringify({ ...STATUS, v: 2 });
    expect(asStatus(signed(json)).verdict).toBe('malformed');
    expect(asStatus(signed(JSON.stringify({ ...STATUS, v: 2, upd: undefined }))).verdict).toBe('valid');
  });
});
