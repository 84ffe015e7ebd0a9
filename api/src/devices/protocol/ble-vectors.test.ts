import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { deriveKey } from './keys.js';
import { bleKey, bleOpJson, blerevPayload, capabilityJson, offlineKeySecret, parseBleUse } from './messages-v3-ble.js';
import { statusMessageV2, statusV2Json } from './messages-v2.js';
import { BLE_EXAMPLE_CAPABILITY, BLE_K, BLE_NONCE, BLEREV_EXAMPLE, bleVectorsText, type BleVectors } from './vectors-ble.js';
import { verifyFromServerV2 } from './verify-v2.js';

const file = join(apiRoot(), '..', 'docs', 'ble-vectors.json');
const text = readFileSync(file, 'utf8');
const vectors = JSON.parse(text) as BleVectors;
const K = Buffer.from(BLE_K, 'hex');

describe('Bluetooth offline key vectors (docs/ble-vectors.json)', () => {
  it('are exactly what this implementation produces (run `npm run vectors` after changing it)', () => {
    expect(text).toBe(bleVectorsText());
  });

  it("reproduce the design's worked example byte for byte (§6, checked with openssl)", () => {
    const c = BLE_EXAMPLE_CAPABILITY;
    expect(bleKey(K).toString('hex')).toBe('896076042684a2eb3399bb02188764dd23f483038b85e3f8480cf0bd1352d29d');
    expect(capabilityJson(c)).toBe('{"v":3,"type":"blekey","dev":"front-door","kid":"8f14e45fceea167a","uid":"u-alice","act":"LU","nb":1795760000,"na":1795788800}');
    const s = offlineKeySecret(bleKey(K), c);
    expect(s.toString('hex')).toBe('ca4d68cae7f73a05896461c433ec820ea88a30b9098eed58ab722a94158b5296');
    expect(bleOpJson(c, 'UNLOCK', BLE_NONCE)).toBe(vectors.example.request);
    expect(vectors.example.requestSig).toBe('d0a40e7ef6b18a0498d55ecafe274f5b03cfa1138b87a0b63ee7b810ab35eed7');
    expect(vectors.example.resultSig).toBe('49e3b31511a8a3836c112302472e020b9b24a512f804b8fef41ab9eef9452691');
    const blerev = blerevPayload(deriveKey(K, 'cmd'), BLEREV_EXAMPLE);
    expect(blerev).toBe(vectors.example.blerevPayload);
    expect(blerev.endsWith(',"sig":"541aa1c81dfdca8945aca59e55f237acbf585b5104af90a58bc4e86062c69a75"}')).toBe(true);
  });

  it("verify the blerev with the lock's cmd key as a v3 message (and refuse it as v2)", () => {
    const cmdKey = deriveKey(K, 'cmd');
    expect(verifyFromServerV2(cmdKey, vectors.example.blerevPayload, 'front-door', ['blerev'], [3]).verdict).toBe('valid');
    expect(verifyFromServerV2(cmdKey, vectors.example.blerevPayload, 'front-door', ['blerev'], [2]).verdict).toBe('bad_version');
  });

  it('hold one case per verdict of the lock\'s checks', () => {
    const verdicts = new Set(vectors.cases.map((c) => c.verdict));
    expect([...verdicts].sort()).toEqual(['bad_nonce', 'bad_signature', 'busy', 'door_open', 'expired', 'malformed', 'no_clock', 'not_allowed', 'not_yet', 'ok', 'revoked', 'safe_mode', 'wrong_device'].sort());
  });

  it('read the status member `ble` and take it only in v3 statuses', () => {
    expect(parseBleUse(vectors.example.statusBle)).toEqual({ kid: '8f14e45fceea167a', op: 'UNLOCK', at: 1795760100 });
    const status = { v: 3, type: 'status', dev: 'front-door', boot: 5, seq: 7, status: 'UNLOCKED', door: 'CLOSED', src: 'BLE', ctr: 9, ts: 1795760101, ble: vectors.example.statusBle };
    expect(statusV2Json(statusMessageV2.parse(status))).toBe(JSON.stringify(status));
    expect(statusMessageV2.safeParse({ ...status, v: 2 }).success).toBe(false);
    for (const bad of ['8f14e45fceea167a.X.1', '8F14E45FCEEA167A.U.1', '8f14e45fceea167a.U.01', '8f14e45fceea167a.U.', 'x'.repeat(40)]) {
      expect(statusMessageV2.safeParse({ ...status, ble: bad }).success, bad).toBe(false);
    }
  });
});
