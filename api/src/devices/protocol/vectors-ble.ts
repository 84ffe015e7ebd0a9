/**
 * docs/ble-vectors.json (written by `npm run vectors`): the Bluetooth offline key worked example
 * (K = 0x00..0x1f, deviceId front-door) and one request per verdict of the lock's checks, each with
 * the lock state it meets, so the firmware's verifier and the api's builders are held to the same
 * bytes. Built only from this module's functions: the vectors test rebuilds the file and compares.
 */
import { deriveKey } from './keys.js';
import {
  bleKey,
  bleOpJson,
  bleResultJson,
  blerevJson,
  blerevPayload,
  capabilityJson,
  hmacHex,
  offlineKeySecret,
  signWithOfflineKey,
  type Capability,
} from './messages-v3-ble.js';

export const BLE_K = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const DEV = 'front-door';
export const BLE_EXAMPLE_CAPABILITY: Capability = { dev: DEV, kid: '8f14e45fceea167a', uid: 'u-alice', act: 'LU', nb: 1795760000, na: 1795788800 };
export const BLE_NONCE = '00112233445566778899aabbccddeeff';
export const BLEREV_EXAMPLE = { dev: DEV, id: 'blerev-7a1c', ctr: 42, ts: 1795760100, before: 0, kids: '8f14e45fceea167a' };

/** What the lock knows when the request arrives. `now` 0: it has no time since boot (§7a). */
export interface BleLockState {
  dev: string;
  nonce: string;
  /** Seconds since the nonce was read. */
  nonceAgeS: number;
  now: number;
  revokedKids: string[];
  before: number;
  safeMode: boolean;
  bolt: 'LOCKED' | 'UNLOCKED' | 'LOCKING' | 'UNLOCKING';
  door: 'OPEN' | 'CLOSED' | 'UNKNOWN';
  lockOpen: 'REFUSE' | 'ALLOW';
}

export interface BleCase {
  name: string;
  /** The bytes the phone writes to the `request` characteristic. */
  request: string;
  lock: BleLockState;
  verdict: 'ok' | 'malformed' | 'wrong_device' | 'bad_nonce' | 'bad_signature' | 'no_clock' | 'not_yet' | 'expired' | 'revoked' | 'not_allowed' | 'safe_mode' | 'busy' | 'door_open';
  /** The lock's answer when checks 1-4 passed (signed with s); absent before that. */
  result?: string;
}

export interface BleVectors {
  description: string;
  deviceSecret: string;
  deviceId: string;
  bleKey: string;
  cmdKey: string;
  example: {
    capability: string;
    secret: string;
    request: string;
    requestSig: string;
    result: string;
    resultSig: string;
    blerev: string;
    blerevPayload: string;
    statusBle: string;
  };
  cases: BleCase[];
}

const LOCK: BleLockState = { dev: DEV, nonce: BLE_NONCE, nonceAgeS: 5, now: 1795760100, revokedKids: [], before: 0, safeMode: false, bolt: 'LOCKED', door: 'CLOSED', lockOpen: 'REFUSE' };

function secretOf(capability: Capability): Buffer {
  return offlineKeySecret(bleKey(Buffer.from(BLE_K, 'hex')), capability);
}

function signedRequest(capability: Capability, op: 'UNLOCK' | 'LOCK', nonce = BLE_NONCE, signer = capability): string {
  return signWithOfflineKey(secretOf(signer), bleOpJson(capability, op, nonce));
}

function answer(capability: Capability, lock: BleLockState, verdict: BleCase['verdict'], op: 'UNLOCK' | 'LOCK'): string {
  const status = verdict === 'ok' ? (op === 'UNLOCK' ? 'UNLOCKED' : 'LOCKED') : lock.bolt;
  const r = verdict === 'ok' ? bleResultJson({ dev: DEV, n: lock.nonce, result: 'ok', status }) : bleResultJson({ dev: DEV, n: lock.nonce, result: 'rejected', reason: verdict, status });
  return signWithOfflineKey(secretOf(capability), r);
}

/** A request that gets through checks 1-4 and meets `lock`. */
function checked(name: string, verdict: BleCase['verdict'], lock: Partial<BleLockState>, capability: Partial<Capability> = {}, op: 'UNLOCK' | 'LOCK' = 'UNLOCK'): BleCase {
  const c = { ...BLE_EXAMPLE_CAPABILITY, ...capability };
  const state = { ...LOCK, ...lock };
  return { name, request: signedRequest(c, op), lock: state, verdict, result: answer(c, state, verdict, op) };
}

function early(name: string, verdict: BleCase['verdict'], request: string, lock: Partial<BleLockState> = {}): BleCase {
  return { name, request, lock: { ...LOCK, ...lock }, verdict };
}

export function buildBleCases(): BleCase[] {
  const c = BLE_EXAMPLE_CAPABILITY;
  const unsigned = bleOpJson(c, 'UNLOCK', BLE_NONCE);
  const reordered = unsigned.replace('"act":"LU",', '').replace('"op":"UNLOCK",', '"op":"UNLOCK","act":"LU",');
  return [
    checked('worked example: unlock with a valid offline key', 'ok', {}),
    checked('lock with a valid offline key (door closed)', 'ok', { bolt: 'UNLOCKED' }, {}, 'LOCK'),
    checked('the lock clock 60 s behind nb is still inside the grace', 'ok', { now: c.nb - 60 }),
    early('members out of order', 'malformed', signWithOfflineKey(secretOf(c), reordered)),
    early('a backslash in a string', 'malformed', signedRequest({ ...c, uid: 'u-alice' }, 'UNLOCK').replace('u-alice', 'u-al\\ice')),
    early('longer than 400 bytes', 'malformed', signWithOfflineKey(secretOf(c), unsigned.replace('"UNLOCK"', `"UNLOCK","pad":"${'x'.repeat(300)}"`))),
    early('a key for another lock', 'wrong_device', signedRequest({ ...c, dev: 'back-door' }, 'UNLOCK')),
    early('a nonce the lock did not hand out', 'bad_nonce', signedRequest(c, 'UNLOCK', 'ffeeddccbbaa99887766554433221100')),
    early('the nonce older than 30 s', 'bad_nonce', signedRequest(c, 'UNLOCK'), { nonceAgeS: 31 }),
    early("another user's capability signed with alice's s", 'bad_signature', signedRequest({ ...c, uid: 'u-mallory' }, 'UNLOCK', BLE_NONCE, c)),
    early('the window widened by the phone (s was issued for the other na)', 'bad_signature', signedRequest({ ...c, na: c.na + 3600 }, 'UNLOCK', BLE_NONCE, c)),
    checked('a window longer than 12 h', 'malformed', {}, { na: c.nb + 43_201 }),
    checked('nb not before na', 'malformed', {}, { na: c.nb }),
    checked('the lock has no time since boot', 'no_clock', { now: 0 }),
    checked('before the window (more than 60 s)', 'not_yet', { now: c.nb - 61 }),
    checked('at the end of the window', 'expired', { now: c.na }),
    checked('the kid on the revocation list', 'revoked', { revokedKids: ['0123456789abcdef', c.kid] }),
    checked("issued before the list's before", 'revoked', { before: c.nb + 1 }),
    checked('unlock with a lock-only key', 'not_allowed', {}, { act: 'L' }),
    checked('lock with an unlock-only key', 'not_allowed', { bolt: 'UNLOCKED' }, { act: 'U' }, 'LOCK'),
    checked('the lock in safe mode', 'safe_mode', { safeMode: true }),
    checked('the bolt moving', 'busy', { bolt: 'LOCKING' }),
    checked('lock with the door open under lockOpen REFUSE', 'door_open', { bolt: 'UNLOCKED', door: 'OPEN' }, {}, 'LOCK'),
  ];
}

export function buildBleVectors(): BleVectors {
  const secret = Buffer.from(BLE_K, 'hex');
  const c = BLE_EXAMPLE_CAPABILITY;
  const s = secretOf(c);
  const request = bleOpJson(c, 'UNLOCK', BLE_NONCE);
  const result = bleResultJson({ dev: DEV, n: BLE_NONCE, result: 'ok', status: 'UNLOCKED' });
  const cmdKey = deriveKey(secret, 'cmd');
  return {
    description:
      'Bluetooth offline keys (docs/protocol.md, BLE section). example: the worked example; cases: the bytes a phone writes to the request characteristic, the lock state they meet and the verdict of the checks in order; result is the lock\'s signed answer when checks 1-4 passed. Written by `npm run vectors`.',
    deviceSecret: BLE_K,
    deviceId: DEV,
    bleKey: bleKey(secret).toString('hex'),
    cmdKey: cmdKey.toString('hex'),
    example: {
      capability: capabilityJson(c),
      secret: s.toString('hex'),
      request,
      requestSig: hmacHex(s, request),
      result,
      resultSig: hmacHex(s, result),
      blerev: blerevJson({ v: 3, type: 'blerev', ...BLEREV_EXAMPLE }),
      blerevPayload: blerevPayload(cmdKey, BLEREV_EXAMPLE),
      statusBle: `${c.kid}.U.1795760100`,
    },
    cases: buildBleCases(),
  };
}

/** The file's text: stable formatting, one trailing newline. */
export function bleVectorsText(): string {
  return `${JSON.stringify(buildBleVectors(), null, 2)}\n`;
}
