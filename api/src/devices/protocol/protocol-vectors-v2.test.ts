import { blerevJson, blerevMessage } from './messages-v3-ble.js';
import { updateJson, updateMessage } from './messages-v3-update.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { deriveKey, KEY_LABELS, mqttPasswordV2 } from './keys.js';
import {
  cfgJson,
  cfgMessage,
  commandMessageV2,
  commandV2Json,
  helloJson,
  helloMessage,
  resetJson,
  resetMessage,
  statusMessageV2,
  statusV2Json,
  timeMessageV2,
  timeV2Json,
  welcomeJson,
  welcomeMessage,
} from './messages-v2.js';
import { rekeyJson, rekeyMessage } from './messages-v3.js';
import { hmacHex, signPayload } from './signature.js';
import { buildV2Vectors, withV2Vectors, type V2Case, type V2Vectors } from './vectors-v2.js';
import { buildVectors } from './vectors-v3.js';
import { verifyCommand, verifyStatus } from './verify.js';
import { verifyFromLockV2, verifyFromServerV2 } from './verify-v2.js';

const file = join(apiRoot(), '..', 'docs', 'protocol-vectors.json');
const text = readFileSync(file, 'utf8');
const vectors = JSON.parse(text) as V2Vectors;
const K = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

function verdictOf(vector: V2Case): string {
  const secret = Buffer.from(vector.deviceSecret, 'hex');
  const { expectType: type } = vector;
  // A receiver that negotiated v2 (§11.10).
  if (type === 'hello' || type === 'status' || type === 'reset') return verifyFromLockV2(deriveKey(secret, 'status'), vector.payload, vector.topicDevice, [type], [2]).verdict;
  return verifyFromServerV2(deriveKey(secret, 'cmd'), vector.payload, vector.topicDevice, [type], [2]).verdict;
}

describe('protocol v2 test vectors (docs/protocol-vectors.json)', () => {
  it('are exactly what this implementation produces (run `npm run vectors` after changing it)', () => {
    expect(vectors.hkdfRfc5869).toEqual(buildV2Vectors().hkdfRfc5869);
    expect(vectors.v2Keys).toEqual(buildV2Vectors().v2Keys);
    expect(vectors.v2MqttPassword).toEqual(buildV2Vectors().v2MqttPassword);
    expect(vectors.v2Cases).toEqual(buildV2Vectors().v2Cases);
    expect(withV2Vectors(text, buildVectors())).toBe(text);
  });

  it('derive with HKDF-SHA256 as RFC 5869 publishes it (test case 1)', () => {
    expect(vectors.hkdfRfc5869[0]?.okm).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('derive one key per label, none equal to K or to each other (cmd key checked with openssl kdf)', () => {
    for (const { deviceSecret, label, key } of vectors.v2Keys) expect(deriveKey(Buffer.from(deviceSecret, 'hex'), label).toString('hex')).toBe(key);
    expect(vectors.v2Keys.filter((k) => k.deviceSecret === K.toString('hex')).map((k) => k.label)).toEqual([...KEY_LABELS]);
    expect(deriveKey(K, 'cmd').toString('hex')).toBe('2f3934a42b7662f9e2103db68fa2373c5929195b07e168b6b0dcf793d141c494');
    const keys = new Set(vectors.v2Keys.map((k) => k.key));
    expect(keys.size).toBe(vectors.v2Keys.length);
    expect(keys.has(K.toString('hex'))).toBe(false);
  });

  it.each(vectors.v2MqttPassword)('derives the v2 broker password for secret $deviceSecret', ({ deviceSecret, mqttPassword }) => {
    expect(mqttPasswordV2(Buffer.from(deviceSecret, 'hex'))).toBe(mqttPassword);
  });

  it.each(vectors.v2Cases)('$name → $verdict', (vector) => {
    const key = deriveKey(Buffer.from(vector.deviceSecret, 'hex'), vector.key);
    expect(hmacHex(key, vector.unsigned)).toBe(vector.sig);
    expect(verdictOf(vector)).toBe(vector.verdict);
  });

  it('rebuilds every valid worked example byte for byte from its fields', () => {
    const builders = {
      hello: (f: unknown) => helloJson(helloMessage.parse(f)),
      welcome: (f: unknown) => welcomeJson(welcomeMessage.parse(f)),
      cmd: (f: unknown) => commandV2Json(commandMessageV2.parse(f)),
      time: (f: unknown) => timeV2Json(timeMessageV2.parse(f)),
      cfg: (f: unknown) => cfgJson(cfgMessage.parse(f)),
      status: (f: unknown) => statusV2Json(statusMessageV2.parse(f)),
      rekey: (f: unknown) => rekeyJson(rekeyMessage.parse(f)), // v3 only: no v2 case has it
      update: (f: unknown) => updateJson(updateMessage.parse(f)),
      reset: (f: unknown) => resetJson(resetMessage.parse(f)),
      blerev: (f: unknown) => blerevJson(blerevMessage.parse(f)), // v3 only: no v2 case has it
    };
    const examples = vectors.v2Cases.filter((c) => c.verdict === 'valid' && !c.name.includes('another order'));
    expect(examples.length).toBeGreaterThan(10);
    for (const vector of examples) {
      const unsigned = builders[vector.expectType](JSON.parse(vector.unsigned));
      expect(unsigned, vector.name).toBe(vector.unsigned);
      expect(signPayload(deriveKey(Buffer.from(vector.deviceSecret, 'hex'), vector.key), unsigned)).toBe(vector.payload);
    }
  });

  it('never verify under K: a v1 receiver drops every valid v2 message as a bad signature', () => {
    for (const vector of vectors.v2Cases.filter((c) => c.verdict === 'valid')) {
      const v1 = vector.key === 'status' ? verifyStatus : verifyCommand;
      expect(v1(Buffer.from(vector.deviceSecret, 'hex'), vector.payload, vector.topicDevice).verdict, vector.name).toBe('bad_signature');
    }
  });
});
