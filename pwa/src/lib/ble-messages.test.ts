/**
 * The phone's Bluetooth messages against the design's worked example (docs/protocol.md, BLE §6),
 * byte for byte, and the fake lock (test-support/fake-ble-lock.ts) against the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { bleKey, FakeBleLock, issueKey } from '../test-support/fake-ble-lock';
import { capabilityText, hmacHex, offlineKeyFrom, parseCapability, parseChallenge, parseResult, requestText, signedRequest } from './ble-messages';

const K = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const C = '{"v":3,"type":"blekey","dev":"front-door","kid":"8f14e45fceea167a","uid":"u-alice","act":"LU","nb":1795760000,"na":1795788800}';
const S = 'ca4d68cae7f73a05896461c433ec820ea88a30b9098eed58ab722a94158b5296';
const NONCE = '00112233445566778899aabbccddeeff';
const B =
  '{"v":3,"type":"bleop","dev":"front-door","kid":"8f14e45fceea167a","uid":"u-alice","act":"LU","nb":1795760000,"na":1795788800,"op":"UNLOCK","n":"00112233445566778899aabbccddeeff"}';
const SIG_B = 'd0a40e7ef6b18a0498d55ecafe274f5b03cfa1138b87a0b63ee7b810ab35eed7';
const R = '{"v":3,"type":"bleres","dev":"front-door","n":"00112233445566778899aabbccddeeff","result":"ok","status":"UNLOCKED"}';
const SIG_R = '49e3b31511a8a3836c112302472e020b9b24a512f804b8fef41ab9eef9452691';

const key = () => {
  const k = offlineKeyFrom(C, S);
  if (!k) throw new Error('the worked example is not a key');
  return k;
};

describe('the worked example (§6)', () => {
  it('reads C and writes it back byte for byte', () => {
    expect(parseCapability(C)).toEqual({ dev: 'front-door', kid: '8f14e45fceea167a', uid: 'u-alice', act: 'LU', nb: 1795760000, na: 1795788800 });
    expect(capabilityText(key())).toBe(C);
  });

  it('builds B and signs it with s', async () => {
    expect(requestText(key(), 'UNLOCK', NONCE)).toBe(B);
    expect(await hmacHex(S, B)).toBe(SIG_B);
    expect(await signedRequest(key(), 'UNLOCK', NONCE)).toBe(`${B.slice(0, -1)},"sig":"${SIG_B}"}`);
  });

  it('believes R only with its signature', async () => {
    expect(await parseResult(`${R.slice(0, -1)},"sig":"${SIG_R}"}`, key())).toEqual({
      dev: 'front-door',
      n: NONCE,
      result: 'ok',
      reason: null,
      status: 'UNLOCKED',
      signed: true,
    });
    expect(await parseResult(R, key())).toMatchObject({ result: 'ok', signed: false });
    const forged = `${R.slice(0, -1)},"sig":"${SIG_R.replace(/^4/, '5')}"}`;
    expect(await parseResult(forged, key())).toBeNull();
    expect(await parseResult(R.replace('"status"', '"reason":"x","status"'), key())).toBeNull();
  });

  it('matches the fake lock’s key schedule (key("ble") and s)', () => {
    expect(bleKey(K).toString('hex')).toBe('896076042684a2eb3399bb02188764dd23f483038b85e3f8480cf0bd1352d29d');
    expect(issueKey(K, { dev: 'front-door', uid: 'u-alice', act: 'LU', nb: 1795760000, na: 1795788800, kid: '8f14e45fceea167a' })).toEqual({
      capability: C,
      secret: S,
      kid: '8f14e45fceea167a',
    });
  });
});

describe('what the phone refuses to hold or read', () => {
  it.each([
    ['members out of order', C.replace('"kid":"8f14e45fceea167a","uid":"u-alice"', '"uid":"u-alice","kid":"8f14e45fceea167a"')],
    ['spaces', C.replace('"v":3', '"v": 3')],
    ['an unknown action', C.replace('"LU"', '"X"')],
    ['an empty window', C.replace('1795788800', '1795760000')],
    ['a quote in a string', C.replace('front-door', 'front\\"door')],
    ['an extra member', C.replace('}', ',"x":1}')],
  ])('a capability with %s', (_why, text) => {
    expect(parseCapability(text)).toBeNull();
  });

  it('a secret that is not 64 hex digits', () => {
    expect(offlineKeyFrom(C, S.slice(2))).toBeNull();
    expect(offlineKeyFrom(C, S.toUpperCase())).toBeNull();
  });

  it('a challenge that is not exactly one', () => {
    expect(parseChallenge(`{"v":3,"type":"blechal","dev":"front-door","n":"${NONCE}","t":1795760100}`)).toEqual({ dev: 'front-door', n: NONCE, t: 1795760100 });
    expect(parseChallenge(`{"v":3,"type":"blechal","dev":"front-door","n":"${NONCE.slice(1)}","t":1}`)).toBeNull();
    expect(parseChallenge(`{"v":3,"type":"blechal","n":"${NONCE}","dev":"front-door","t":1}`)).toBeNull();
  });
});

describe('a signed request at the fake lock', () => {
  const now = 1795770000;
  const lock = () => new FakeBleLock({ deviceId: 'front-door', deviceSecret: K, clock: () => now });
  const reason = (answer: string) => /"reason":"(\w+)"/.exec(answer)?.[1] ?? 'ok';

  it('is accepted once, and its replay is refused as bad_nonce', async () => {
    const door = lock();
    const nonce = parseChallenge(door.readChallenge())?.n ?? '';
    const request = await signedRequest(key(), 'UNLOCK', nonce);
    expect(reason(door.handle(request))).toBe('ok');
    expect(reason(door.handle(request))).toBe('bad_nonce');
    expect(door.uses).toEqual([`8f14e45fceea167a.U.${now}`]);
  });

  it('is refused as bad_signature when signed with another secret', async () => {
    const door = lock();
    const nonce = parseChallenge(door.readChallenge())?.n ?? '';
    const wrong = offlineKeyFrom(C, S.replace(/^c/, 'd'));
    expect(reason(door.handle(await signedRequest(wrong ?? key(), 'UNLOCK', nonce)))).toBe('bad_signature');
    expect(door.uses).toEqual([]);
  });
});
