import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { commandMessage, commandJson, statusJson, statusMessage, timeJson, timeMessage } from './messages.js';
import { hmacHex, mqttPassword, signPayload } from './signature.js';
import { isCompactUniqueJson } from './strict-json.js';
import { verifyCommand, verifyStatus, verifyTime } from './verify.js';

interface VectorCase {
  name: string;
  deviceSecret: string;
  topicDevice: string;
  expectType: 'cmd' | 'status' | 'time';
  unsigned: string;
  sig: string;
  payload: string;
  verdict: string;
}
const vectors = JSON.parse(readFileSync(join(apiRoot(), '..', 'docs', 'protocol-vectors.json'), 'utf8')) as {
  protocol: number;
  mqttPassword: { deviceSecret: string; mqttPassword: string }[];
  cases: VectorCase[];
};

describe('protocol v1 test vectors (docs/protocol-vectors.json)', () => {
  it.each(vectors.mqttPassword)('derives the broker password for secret $deviceSecret', ({ deviceSecret, mqttPassword: expected }) => {
    expect(mqttPassword(Buffer.from(deviceSecret, 'hex'))).toBe(expected);
  });

  it.each(vectors.cases)('$name → $verdict', (vector) => {
    const key = Buffer.from(vector.deviceSecret, 'hex');
    if (vector.unsigned && vector.sig) expect(hmacHex(key, vector.unsigned)).toBe(vector.sig);
    const verify = { cmd: verifyCommand, status: verifyStatus, time: verifyTime }[vector.expectType];
    expect(verify(key, vector.payload, vector.topicDevice).verdict).toBe(vector.verdict);
  });

  it('rebuilds every valid payload byte for byte from its fields', () => {
    for (const vector of vectors.cases.filter((c) => c.verdict === 'valid' && c.name.startsWith('worked example'))) {
      const key = Buffer.from(vector.deviceSecret, 'hex');
      const fields = JSON.parse(vector.unsigned) as unknown;
      const unsigned = {
        cmd: () => commandJson(commandMessage.parse(fields)),
        status: () => statusJson(statusMessage.parse(fields)),
        time: () => timeJson(timeMessage.parse(fields)),
      }[vector.expectType]();
      expect(signPayload(key, unsigned)).toBe(vector.payload);
    }
  });
});

describe('strict JSON form', () => {
  it('refuses duplicates, whitespace and arrays, and accepts nested ack objects', () => {
    expect(isCompactUniqueJson('{"a":1,"b":{"id":"x","result":"ok"}}')).toBe(true);
    expect(isCompactUniqueJson('{"a":1,"a":2}')).toBe(false);
    expect(isCompactUniqueJson('{"a": 1}')).toBe(false);
    expect(isCompactUniqueJson('{"a":[1]}')).toBe(false);
    expect(isCompactUniqueJson('{"a":"has \\" an escape"}')).toBe(false);
    expect(isCompactUniqueJson('{"a":"caf\u00e9"}')).toBe(false);
    expect(isCompactUniqueJson('{"a":{"b":{"c":1}}}')).toBe(false);
  });

  it('accepts integers only in their plain form', () => {
    for (const ok of ['0', '7', '-3', '9007199254740991']) expect(isCompactUniqueJson(`{"n":${ok}}`), ok).toBe(true);
    for (const bad of ['7.0', '7e0', '0.7e1', '-0', '07', '1E2', '+1']) expect(isCompactUniqueJson(`{"n":${bad}}`), bad).toBe(false);
  });

  it('reports missing v, type or dev as malformed, like the firmware', () => {
    const key = Buffer.alloc(32, 1);
    expect(verifyStatus(key, signPayload(key, '{"type":"status","dev":"abc"}'), 'abc').verdict).toBe('malformed');
    expect(verifyStatus(key, signPayload(key, '{"v":1,"dev":"abc"}'), 'abc').verdict).toBe('malformed');
    expect(verifyStatus(key, signPayload(key, '{"v":1,"type":"status"}'), 'abc').verdict).toBe('malformed');
  });
});
