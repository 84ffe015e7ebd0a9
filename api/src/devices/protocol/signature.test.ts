import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openEnvelope, signPayload } from './signature.js';

const key = Buffer.alloc(32, 3);
const SIGNED = signPayload(key, '{"v":1,"type":"status","dev":"front-door","boot":3,"seq":42,"status":"LOCKED","ctr":1,"ts":1795760000}');

/** The envelope rule as docs/protocol.md §4 words it, written the plain way: the reference for the in-place check. */
function referenceVerdict(payload: string): 'ok' | 'malformed' | 'bad_signature' {
  const match = /,"sig":"([0-9a-f]{64})"\}$/.exec(payload);
  if (!match?.[1]) return 'malformed';
  const expected = createHmac('sha256', key).update(`${payload.slice(0, match.index)}}`, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex')) ? 'ok' : 'bad_signature';
}

const verdictOf = (payload: string) => {
  const result = openEnvelope(key, payload);
  return result.ok ? 'ok' : result.reason;
};

describe('openEnvelope', () => {
  it.each([
    ['the signed payload', SIGNED, 'ok'],
    ['the last hex digit changed', `${SIGNED.slice(0, -3)}${SIGNED.at(-3) === '0' ? '1' : '0'}"}`, 'bad_signature'],
    ['the first hex digit changed', SIGNED.replace(/"sig":"(.)/, (_m, c: string) => `"sig":"${c === '0' ? '1' : '0'}`), 'bad_signature'],
    ['63 hex digits', SIGNED.replace(/.("\}$)/, '$1'), 'malformed'],
    ['65 hex digits', SIGNED.replace(/"\}$/, '0"}'), 'malformed'],
    ['a trailing line break', `${SIGNED}\n`, 'malformed'],
    ['a hex digit in uppercase', SIGNED.replace(/([a-f])("\}$)/, (_m, c: string, end: string) => `${c.toUpperCase()}${end}`), 'malformed'],
    ['only the suffix', SIGNED.slice(SIGNED.indexOf(',"sig"')), 'bad_signature'],
    ['shorter than the suffix', SIGNED.slice(-40), 'malformed'],
    ['empty', '', 'malformed'],
  ])('%s: %s', (_name, payload, verdict) => {
    expect(verdictOf(payload)).toBe(verdict);
    expect(referenceVerdict(payload)).toBe(verdict);
  });

  it('agrees with the reference on every one-character change of a signed payload', () => {
    const replacements = ['0', 'a', 'f', 'g', 'A', '"', '}', ',', ' ', ''];
    for (let at = 0; at < SIGNED.length; at++) {
      for (const replacement of replacements) {
        const payload = `${SIGNED.slice(0, at)}${replacement}${SIGNED.slice(at + 1)}`;
        expect(verdictOf(payload), payload).toBe(referenceVerdict(payload));
      }
    }
  });
});
