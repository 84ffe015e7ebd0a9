import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { deriveKey } from './keys.js';
import { hmacHex } from './signature.js';
import type { V2Case } from './vectors-v2.js';
import { openNewSecret, rekeyPad } from './rekey-key.js';
import { buildRekeyPads, buildV3Cases, type RekeyPadVector } from './vectors-v3.js';
import { isLockType, verifyFromLockV2, verifyFromServerV2 } from './verify-v2.js';

const file = join(apiRoot(), '..', 'docs', 'protocol-vectors.json');
const vectors = JSON.parse(readFileSync(file, 'utf8')) as { v3Cases: V2Case[]; v2Cases: V2Case[]; v3RekeyPads: RekeyPadVector[] };

/** A receiver that negotiated `version`: v3's messages under [3], hello and welcome as v2 (§13). */
function verdictOf(vector: V2Case, version: 2 | 3): string {
  const key = deriveKey(Buffer.from(vector.deviceSecret, 'hex'), vector.key);
  const type = vector.expectType;
  const versions = type === 'hello' || type === 'welcome' ? ([2] as const) : ([version] as const);
  if (isLockType(type)) return verifyFromLockV2(key, vector.payload, vector.topicDevice, [type], versions).verdict;
  return verifyFromServerV2(key, vector.payload, vector.topicDevice, [type], versions).verdict;
}

describe('protocol v3 test vectors (docs/protocol-vectors.json, v3Cases)', () => {
  it('are exactly what this implementation produces (run `npm run vectors` after changing it)', () => {
    expect(vectors.v3Cases).toEqual(buildV3Cases());
    expect(vectors.v3RekeyPads).toEqual(buildRekeyPads());
  });

  it("open a rekey's key with the pad (checked with openssl kdf for the worked example)", () => {
    const [example] = vectors.v3RekeyPads;
    expect(example?.pad).toBe('5f818728285b16f8d3142dac686f7551321059f455b22fb40b624b15895a2c9a');
    for (const v of vectors.v3RekeyPads) {
      expect(openNewSecret(Buffer.from(v.deviceSecret, 'hex'), v.id, v.key).toString('hex')).toBe(v.newSecret);
      expect(rekeyPad(Buffer.from(v.deviceSecret, 'hex'), v.id).toString('hex')).toBe(v.pad);
    }
    // Another id gives another pad: one id never carries two secrets (§13.3).
    expect(rekeyPad(Buffer.from(vectors.v3RekeyPads[0]?.deviceSecret ?? '', 'hex'), 'rekey-2').toString('hex')).not.toBe(example?.pad);
  });

  it.each(buildV3Cases())('$name → $verdict', (vector) => {
    expect(hmacHex(deriveKey(Buffer.from(vector.deviceSecret, 'hex'), vector.key), vector.unsigned)).toBe(vector.sig);
    expect(verdictOf(vector, 3)).toBe(vector.verdict);
  });

  it('a receiver that negotiated v2 drops every v3-only message as bad_version (it never sees one: §11.4)', () => {
    const v3Only = buildV3Cases().filter((c) => c.verdict === 'valid' && c.unsigned.startsWith('{"v":3'));
    expect(v3Only.length).toBeGreaterThan(4);
    for (const vector of v3Only) expect(verdictOf(vector, 2), vector.name).toBe('bad_version');
  });

  it('leaves the v2 cases as they were: each still verifies the same for a v2 receiver', () => {
    for (const vector of vectors.v2Cases.filter((c) => c.verdict === 'valid')) expect(verdictOf(vector, 2), vector.name).toBe('valid');
  });
});
