/**
 * The protocol v2 part of docs/protocol-vectors.json, built from this
 * implementation (keys.ts, messages-v2.ts, signature.ts). `npm run vectors -w api`
 * writes it into the file after the v1 part (which firmware/tools/make-vectors.sh
 * makes with openssl); protocol-vectors-v2.test.ts checks the file still matches.
 * The payloads are hand-written bytes, not serialized objects, so a case can
 * break exactly one rule.
 */
import { deriveKey, hkdfSha256, HKDF_SALT, keyInfo, KEY_LABELS, mqttPasswordV2, type KeyLabel } from './keys.js';
import { hmacHex, signPayload } from './signature.js';
import type { Verdict } from './verify.js';
import type { LockTypeV2, ServerTypeV2 } from './verify-v2.js';
import { LOCK_TYPES } from './versions.js';

const LOCK_TYPE_NAMES = Object.values(LOCK_TYPES).flat();

export const K = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'; // worked example, as in v1
export const K2 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00'; // "another lock"

/** Every message type of v2 and later (a new v3 type joins through verify-v2.ts's unions). */
export type ExpectTypeV2 = LockTypeV2 | ServerTypeV2;

export interface V2Case {
  name: string;
  deviceSecret: string;
  topicDevice: string;
  expectType: ExpectTypeV2;
  /** The purpose key the receiver verifies with: `status` on the status topic, `cmd` on the cmd topic. */
  key: 'cmd' | 'status';
  unsigned: string;
  sig: string;
  payload: string;
  verdict: Verdict;
}

export interface V2Vectors {
  hkdfRfc5869: { name: string; ikm: string; salt: string; info: string; length: number; okm: string }[];
  v2Keys: { deviceSecret: string; label: KeyLabel; salt: string; info: string; key: string }[];
  v2MqttPassword: { deviceSecret: string; mqttPassword: string }[];
  v2Cases: V2Case[];
}

/** The key a receiver of this type uses: lock → server messages are signed with `status`, the rest with `cmd`. */
export function keyLabelFor(type: ExpectTypeV2): 'cmd' | 'status' {
  return (LOCK_TYPE_NAMES as readonly string[]).includes(type) ? 'status' : 'cmd';
}

function signedWith(secretHex: string, label: KeyLabel | 'K', unsigned: string): string {
  const secret = Buffer.from(secretHex, 'hex');
  return signPayload(label === 'K' ? secret : deriveKey(secret, label), unsigned);
}

export function caseOf(name: string, expectType: ExpectTypeV2, unsigned: string, verdict: Verdict, options: { signer?: KeyLabel | 'K'; secret?: string; signerSecret?: string; payload?: string } = {}): V2Case {
  const secret = options.secret ?? K;
  const key = keyLabelFor(expectType);
  const expectedSig = hmacHex(deriveKey(Buffer.from(secret, 'hex'), key), unsigned);
  const payload = options.payload ?? signedWith(options.signerSecret ?? secret, options.signer ?? key, unsigned);
  return { name, deviceSecret: secret, topicDevice: 'front-door', expectType, key, unsigned, sig: expectedSig, payload, verdict };
}

export const HELLO = '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2","ts":0,"fw":"2.0.0"}';
export const WELCOME = '{"v":2,"type":"welcome","dev":"front-door","ver":2,"ts":1795760010}';
export const CMD = '{"v":2,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}';
export const UNLOCKING = '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":3,"status":"UNLOCKING","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":9,"ts":1795760020}';
export const STATUS = '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":4,"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":9,"ts":1795760021,"ack":{"id":"c-9","result":"ok"}}';
export const CFG = '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}';
export const TIME = '{"v":2,"type":"time","dev":"front-door","boot":5,"seq":2,"ts":1795760011}';

function cases(): V2Case[] {
  return [
    // Lock → server, status key.
    caseOf('worked example hello', 'hello', HELLO, 'valid'),
    caseOf('hello from a lock that also speaks 3', 'hello', '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2,3","ts":1795760000,"fw":"3.0.0"}', 'valid'),
    caseOf('worked example status while unlocking (transitional)', 'status', UNLOCKING, 'valid'),
    caseOf('worked example status with its ack', 'status', STATUS, 'valid'),
    caseOf('status locked by hand while the door is open', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"OPEN","src":"MANUAL","ctr":9,"ts":1795760040}', 'valid'),
    caseOf('status locking by auto-relock', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":6,"status":"LOCKING","door":"CLOSED","src":"AUTO","ctr":9,"ts":1795760070}', 'valid'),
    caseOf('status at boot without a door sensor', 'status', '{"v":2,"type":"status","dev":"front-door","boot":6,"seq":2,"status":"UNKNOWN","door":"UNKNOWN","src":"BOOT","ctr":9,"ts":0}', 'valid'),
    caseOf('status unlocked over Bluetooth', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":7,"status":"UNLOCKED","door":"CLOSED","src":"BLE","ctr":9,"ts":1795760100}', 'valid'),
    caseOf('status with every optional member', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":8,"status":"JAMMED","door":"CLOSED","src":"REMOTE","cid":"c-10","ctr":11,"ts":1795760120,"uptime":300,"rssi":-61,"battery":87,"power":"BATTERY","issue":"Motor jammed","fw":"2.0.0","ack":{"id":"c-10","result":"failed","reason":"jammed"}}', 'valid'),
    caseOf('status acking a cfg', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":9,"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":10,"ts":1795760031,"ack":{"id":"cfg-1","result":"ok"}}', 'valid'),
    caseOf('status refusing to lock an open door', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":10,"status":"UNLOCKED","door":"OPEN","src":"REMOTE","cid":"c-9","ctr":11,"ts":1795760050,"ack":{"id":"c-11","result":"rejected","reason":"door_open"}}', 'valid'),
    caseOf('status members in another order', 'status', '{"src":"MANUAL","door":"CLOSED","ts":1795760040,"ctr":9,"status":"LOCKED","seq":5,"boot":5,"dev":"front-door","type":"status","v":2}', 'valid'),
    caseOf('status with cid but src MANUAL', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","cid":"c-9","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status with src REMOTE but no cid', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"REMOTE","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status without door', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","src":"MANUAL","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status without src', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status with an unknown door value', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"AJAR","src":"MANUAL","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status with an unknown src value', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"KEY","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('status with an unknown member', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040,"lux":3}', 'malformed'),
    // One string rule for both codecs (docs/protocol.md §3): printable ASCII without quotes or backslashes, so no escapes, even in free text.
    caseOf('status with an escaped quote in issue', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040,"issue":"jam \\"A\\""}', 'malformed'),
    caseOf('status with a unicode escape in fw', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040,"fw":"2.0.\\u0030"}', 'malformed'),
    caseOf('status with an escaped line break in issue', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040,"issue":"ok\\nFAKE LINE"}', 'malformed'),
    caseOf('status with a non-ASCII character in issue', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040,"issue":"verriegelt \u00e9"}', 'malformed'),
    caseOf('status with an unknown member in ack', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":9,"status":"UNLOCKED","door":"CLOSED","src":"MANUAL","ctr":10,"ts":1795760031,"ack":{"id":"cfg-1","result":"ok","at":3}}', 'malformed'),
    caseOf('status signed with K instead of the status key', 'status', STATUS, 'bad_signature', { signer: 'K' }),
    caseOf('status signed with the cmd key', 'status', STATUS, 'bad_signature', { signer: 'cmd' }),
    caseOf("status signed with another lock's status key", 'status', STATUS, 'bad_signature', { signerSecret: K2 }),
    caseOf('v1 status signed with the status key', 'status', '{"v":1,"type":"status","dev":"front-door","boot":5,"seq":4,"status":"UNLOCKED","ctr":9,"ts":1795760021}', 'bad_version'),
    caseOf('hello checked as a status', 'status', HELLO, 'wrong_type'),
    caseOf('status for another device', 'status', '{"v":2,"type":"status","dev":"back-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760040}', 'wrong_device'),
    caseOf('hello signed with K instead of the status key', 'hello', HELLO, 'bad_signature', { signer: 'K' }),
    caseOf('hello with versions not ascending', 'hello', '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"2,1","ts":0,"fw":"2.0.0"}', 'malformed'),
    caseOf('hello with an empty version', 'hello', '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,,2","ts":0,"fw":"2.0.0"}', 'malformed'),
    caseOf('hello with vers as an integer', 'hello', '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":2,"ts":0,"fw":"2.0.0"}', 'malformed'),
    caseOf('hello without fw', 'hello', '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2","ts":0}', 'malformed'),
    caseOf('hello as v1', 'hello', '{"v":1,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2","ts":0,"fw":"2.0.0"}', 'bad_version'),
    // Server → lock, cmd key.
    caseOf('worked example welcome', 'welcome', WELCOME, 'valid'),
    caseOf('worked example cmd', 'cmd', CMD, 'valid'),
    caseOf('worked example time', 'time', TIME, 'valid'),
    caseOf('worked example cfg', 'cfg', CFG, 'valid'),
    caseOf('cfg with the defaults', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-2","ctr":12,"ts":1795760200,"relock":0,"boot":"STAY","lockOpen":"REFUSE"}', 'valid'),
    caseOf('cfg with the longest relock, locking at boot, locking open doors', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-3","ctr":13,"ts":1795760300,"relock":3600,"boot":"LOCK","lockOpen":"ALLOW"}', 'valid'),
    caseOf('cfg with relock over an hour', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":3601,"boot":"STAY","lockOpen":"REFUSE"}', 'malformed'),
    caseOf('cfg with an unknown boot behaviour', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"UNLOCK","lockOpen":"REFUSE"}', 'malformed'),
    caseOf('cfg without lockOpen', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY"}', 'malformed'),
    caseOf('cfg with an unknown member', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE","ajar":600}', 'malformed'),
    caseOf('cfg with ctr 0', 'cfg', '{"v":2,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":0,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}', 'malformed'),
    caseOf('cfg checked as a cmd', 'cmd', CFG, 'wrong_type'),
    caseOf('v2 cmd signed with K instead of the cmd key', 'cmd', CMD, 'bad_signature', { signer: 'K' }),
    caseOf('v2 cmd signed with the status key', 'cmd', CMD, 'bad_signature', { signer: 'status' }),
    caseOf('cfg signed with K instead of the cmd key', 'cfg', CFG, 'bad_signature', { signer: 'K' }),
    caseOf('v1 cmd signed with the cmd key', 'cmd', '{"v":1,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'bad_version'),
    caseOf('v2 cmd with an unknown member', 'cmd', '{"v":2,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020,"door":"OPEN"}', 'malformed'),
    caseOf('v2 cmd for another device', 'cmd', '{"v":2,"type":"cmd","dev":"back-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'wrong_device'),
    caseOf('welcome with ver 0', 'welcome', '{"v":2,"type":"welcome","dev":"front-door","ver":0,"ts":1795760010}', 'malformed'),
    caseOf('welcome with an unknown member', 'welcome', '{"v":2,"type":"welcome","dev":"front-door","ver":2,"ts":1795760010,"vers":"1,2"}', 'malformed'),
    caseOf('welcome for another device', 'welcome', '{"v":2,"type":"welcome","dev":"back-door","ver":2,"ts":1795760010}', 'wrong_device'),
    caseOf('welcome signed with K instead of the cmd key', 'welcome', WELCOME, 'bad_signature', { signer: 'K' }),
    caseOf('v2 time with ts 0', 'time', '{"v":2,"type":"time","dev":"front-door","boot":5,"seq":2,"ts":0}', 'malformed'),
  ];
}

/** RFC 5869 Appendix A.1 (test case 1): checks the HKDF itself, before any label. */
const RFC5869_CASE_1 = { ikm: '0b'.repeat(22), salt: '000102030405060708090a0b0c', info: 'f0f1f2f3f4f5f6f7f8f9', length: 42 };

export function buildV2Vectors(): V2Vectors {
  const { ikm, salt, info, length } = RFC5869_CASE_1;
  const okm = hkdfSha256(Buffer.from(ikm, 'hex'), Buffer.from(salt, 'hex'), Buffer.from(info, 'hex'), length).toString('hex');
  const keysOf = (secret: string) =>
    KEY_LABELS.map((label) => ({ deviceSecret: secret, label, salt: HKDF_SALT, info: keyInfo(label), key: deriveKey(Buffer.from(secret, 'hex'), label).toString('hex') }));
  return {
    hkdfRfc5869: [{ name: 'RFC 5869 A.1 (ikm, salt and info in hex)', ikm, salt, info, length, okm }],
    v2Keys: [...keysOf(K), ...keysOf(K2)],
    v2MqttPassword: [K, K2].map((secret) => ({ deviceSecret: secret, mqttPassword: mqttPasswordV2(Buffer.from(secret, 'hex')) })),
    v2Cases: cases(),
  };
}

const V2_KEYS = ['hkdfRfc5869', 'v2Keys', 'v2MqttPassword', 'v2Cases'] as const;
/** Later versions' sections, written after v2's when present (vectors-v3.ts). */
const LATER_KEYS = ['v3Cases', 'v3RekeyPads'] as const;

export type GeneratedVectors = V2Vectors & Partial<Record<(typeof LATER_KEYS)[number], readonly unknown[]>>;

/**
 * The vectors file with its v2 (and later) keys (re)written after the v1 part,
 * one entry a line, leaving the v1 bytes exactly as make-vectors.sh wrote them.
 */
export function withV2Vectors(fileText: string, vectors: GeneratedVectors): string {
  const marker = `,\n  "${V2_KEYS[0]}":`;
  const at = fileText.indexOf(marker);
  const v1 = (at >= 0 ? fileText.slice(0, at) : fileText.replace(/\n\}\n?$/, '')).trimEnd();
  const present = [...V2_KEYS, ...LATER_KEYS].flatMap((name) => {
    const entries: readonly unknown[] | undefined = vectors[name];
    return entries ? [{ name, entries }] : [];
  });
  const sections = present.map(({ name, entries }) => `  "${name}": [\n${entries.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]`);
  return `${v1},\n${sections.join(',\n')}\n}\n`;
}
