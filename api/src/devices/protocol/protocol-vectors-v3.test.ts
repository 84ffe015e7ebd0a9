import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { deriveKey } from './keys.js';
import { hmacHex } from './signature.js';
import type { V2Case } from './vectors-v2.js';
import { buildV3Cases } from './vectors-v3.js';
import { verifyFromLockV2, verifyFromServerV2, type LockTypeV2, type ServerTypeV2 } from './verify-v2.js';
import { keyLabelFor } from './vectors-v2.js';

const file = join(apiRoot(), '..', 'docs', 'protocol-vectors.json');
const vectors = JSON.parse(readFileSync(file, 'utf8')) as { v3Cases: V2Case[]; v2Cases: V2Case[] };

/** A receiver that negotiated `version`: v3's messages under [3], hello and welcome as v2 (§13). */
function verdictOf(vector: V2Case, version: 2 | 3): string {
  const key = deriveKey(Buffer.from(vector.deviceSecret, 'hex'), vector.key);
  const type = vector.expectType;
  const versions = type === 'hello' || type === 'welcome' ? ([2] as const) : ([version] as const);
  if (keyLabelFor(type) === 'status') return verifyFromLockV2(key, vector.payload, vector.topicDevice, [type as LockTypeV2], versions).verdict;
  return verifyFromServerV2(key, vector.payload, vector.topicDevice, [type as ServerTypeV2], versions).verdict;
}

describe('protocol v3 test vectors (docs/protocol-vectors.json, v3Cases)', () => {
  it('are exactly what this implementation produces (run `npm run vectors` after changing it)', () => {
    expect(vectors.v3Cases).toEqual(buildV3Cases());
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
