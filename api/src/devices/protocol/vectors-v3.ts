/**
 * The protocol v3 cases of docs/protocol-vectors.json (`v3Cases`, §13), read
 * like `v2Cases` but by a receiver that negotiated v3: v2's messages with
 * `"v":3`, hello and welcome still `"v":2`, and v3's own types. The v2 cases
 * stay as they are (§11.4).
 */
import { rekeyPad, rekeyPadInfo, sealNewSecret } from './rekey-key.js';
import { buildV2Vectors, caseOf, K, K2, type GeneratedVectors, type V2Case } from './vectors-v2.js';

export const HELLO_V3 = '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2,3","ts":0,"fw":"3.0.0"}';
export const WELCOME_V3 = '{"v":2,"type":"welcome","dev":"front-door","ver":3,"ts":1795760010}';
export const TIME_V3 = '{"v":3,"type":"time","dev":"front-door","boot":5,"seq":2,"ts":1795760011}';
export const CMD_V3 = '{"v":3,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}';
export const STATUS_V3 = '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":4,"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":9,"ts":1795760021,"ack":{"id":"c-9","result":"ok"}}';
export const CFG_V3 = '{"v":3,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}';

/** What every v3 receiver checks first: v2's messages in v3, and the versions that are not v3. */
function negotiationAndV2Types(): V2Case[] {
  return [
    caseOf('v3 worked example hello', 'hello', HELLO_V3, 'valid'),
    caseOf('v3 worked example welcome', 'welcome', WELCOME_V3, 'valid'),
    caseOf('v3 worked example time', 'time', TIME_V3, 'valid'),
    caseOf('v3 worked example cmd', 'cmd', CMD_V3, 'valid'),
    caseOf('v3 worked example status with its ack', 'status', STATUS_V3, 'valid'),
    caseOf('v3 worked example cfg', 'cfg', CFG_V3, 'valid'),
    caseOf('v3 status while locking by auto-relock', 'status', '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":6,"status":"LOCKING","door":"CLOSED","src":"AUTO","ctr":9,"ts":1795760070}', 'valid'),
    caseOf('hello as v3 (a hello is always v2)', 'hello', '{"v":3,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2,3","ts":0,"fw":"3.0.0"}', 'bad_version'),
    caseOf('welcome as v3 (a welcome is always v2)', 'welcome', '{"v":3,"type":"welcome","dev":"front-door","ver":3,"ts":1795760010}', 'bad_version'),
    caseOf('v2 cmd to a lock welcomed into v3', 'cmd', '{"v":2,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'bad_version'),
    caseOf('v2 status from a lock welcomed into v3', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":6,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760070}', 'bad_version'),
    caseOf('v1 cmd signed with the cmd key', 'cmd', '{"v":1,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'bad_version'),
    caseOf('v3 cmd signed with K instead of the cmd key', 'cmd', CMD_V3, 'bad_signature', { signer: 'K' }),
    caseOf('v3 status signed with the cmd key', 'status', STATUS_V3, 'bad_signature', { signer: 'cmd' }),
    caseOf('v3 cmd with an unknown member', 'cmd', '{"v":3,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020,"door":"OPEN"}', 'malformed'),
    caseOf('v3 status with cid but src MANUAL', 'status', '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","cid":"c-9","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('v3 cfg for another device', 'cfg', '{"v":3,"type":"cfg","dev":"back-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}', 'wrong_device'),
  ];
}

/** §13.3: the worked example's new secret K' (any 32 bytes the server drew). */
export const REKEY_NEW_SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff';
const rekeyBody = (id: string, key: string, extra = '') => `{"v":3,"type":"rekey","dev":"front-door","id":"${id}","ctr":11,"ts":1795760040,"key":"${key}"${extra}}`;
export const REKEY = rekeyBody('rekey-1', sealNewSecret(Buffer.from(K, 'hex'), 'rekey-1', Buffer.from(REKEY_NEW_SECRET, 'hex')));
export const REKEY_ACK = '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":11,"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":11,"ts":1795760041,"ack":{"id":"rekey-1","result":"ok"}}';
export const TIME_UNDER_NEW = '{"v":3,"type":"time","dev":"front-door","boot":5,"seq":11,"ts":1795760041}';

function rekeyCases(): V2Case[] {
  const key = JSON.parse(REKEY) as { key: string };
  return [
    caseOf('v3 worked example rekey', 'rekey', REKEY, 'valid'),
    caseOf('v3 worked example status acking the rekey (still under K)', 'status', REKEY_ACK, 'valid'),
    caseOf("v3 worked example time under the new secret K' (the lock switches on it)", 'time', TIME_UNDER_NEW, 'valid', { secret: REKEY_NEW_SECRET }),
    caseOf('rekey members in another order', 'rekey', `{"key":"${key.key}","ts":1795760040,"ctr":11,"id":"rekey-1","dev":"front-door","type":"rekey","v":3}`, 'valid'),
    caseOf('rekey with a key of 63 hex digits', 'rekey', rekeyBody('rekey-1', key.key.slice(1)), 'malformed'),
    caseOf('rekey with an uppercase key', 'rekey', rekeyBody('rekey-1', key.key.toUpperCase()), 'malformed'),
    caseOf('rekey with an unknown member', 'rekey', rekeyBody('rekey-1', key.key, ',"alg":"xor"'), 'malformed'),
    caseOf('rekey without ctr', 'rekey', `{"v":3,"type":"rekey","dev":"front-door","id":"rekey-1","ts":1795760040,"key":"${key.key}"}`, 'malformed'),
    caseOf('rekey as v2 (rekey exists from v3 on)', 'rekey', `{"v":2,"type":"rekey","dev":"front-door","id":"rekey-1","ctr":11,"ts":1795760040,"key":"${key.key}"}`, 'bad_version'),
    caseOf('rekey signed with K instead of the cmd key', 'rekey', REKEY, 'bad_signature', { signer: 'K' }),
    caseOf('rekey signed with the status key', 'rekey', REKEY, 'bad_signature', { signer: 'status' }),
    caseOf('rekey checked as a cmd', 'cmd', REKEY, 'wrong_type'),
    caseOf('rekey for another device', 'rekey', `{"v":3,"type":"rekey","dev":"back-door","id":"rekey-1","ctr":11,"ts":1795760040,"key":"${key.key}"}`, 'wrong_device'),
  ];
}

export function buildV3Cases(): V2Case[] {
  return [...negotiationAndV2Types(), ...rekeyCases()];
}

export interface RekeyPadVector {
  deviceSecret: string;
  id: string;
  /** ASCII HKDF info; salt "smartlock", IKM = deviceSecret */
  info: string;
  pad: string;
  newSecret: string;
  /** The rekey's `key` member: hex(newSecret XOR pad) */
  key: string;
}

/** §13.3: the pad and the `key` member for the worked example and another lock. */
export function buildRekeyPads(): RekeyPadVector[] {
  return [
    { secret: K, id: 'rekey-1' },
    { secret: K2, id: 'rekey-6f1c2b0e-3d4a-4c5b-9e8f-0a1b2c3d4e5f' },
  ].map(({ secret, id }) => {
    const current = Buffer.from(secret, 'hex');
    return { deviceSecret: secret, id, info: rekeyPadInfo(id), pad: rekeyPad(current, id).toString('hex'), newSecret: REKEY_NEW_SECRET, key: sealNewSecret(current, id, Buffer.from(REKEY_NEW_SECRET, 'hex')) };
  });
}

/** Everything `npm run vectors` writes after the v1 part. */
export function buildVectors(): GeneratedVectors {
  return { ...buildV2Vectors(), v3Cases: buildV3Cases(), v3RekeyPads: buildRekeyPads() };
}
