import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatManifest } from './manifest.js';
import {
  describePublicKey,
  newReleaseKeyPair,
  parseReleasePrivateKey,
  parseReleasePublicKey,
  ReleaseKeyError,
  signManifest,
  verifyManifest,
} from './release-signature.js';
import { checkRelease } from './verify-release.js';

const image = Buffer.from('pretend firmware image '.repeat(40));
const manifest = formatManifest({ hw: 'esp32', fw: '2.1.0', arc: 3, size: image.length, sha256: createHash('sha256').update(image).digest('hex') });

function flipBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return bytes.toString('hex');
}

describe('release signatures (ECDSA P-256, raw r||s)', () => {
  const { privateKey, publicKey } = newReleaseKeyPair();
  const msig = signManifest(privateKey, manifest);

  it('signs as 128 lowercase hex and verifies', () => {
    expect(msig).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyManifest(publicKey, manifest, msig)).toBe(true);
    expect(checkRelease(publicKey, manifest, msig, image)).toMatchObject({ ok: true, manifest: { fw: '2.1.0', arc: 3 } });
  });

  it('refuses every single flipped bit of the signature (sampled across r and s)', () => {
    for (let bit = 0; bit < 512; bit += 7) expect(verifyManifest(publicKey, manifest, flipBit(msig, bit))).toBe(false);
  });

  it('refuses a flipped bit in the manifest', () => {
    const changed = manifest.replace('arc=3', 'arc=2');
    expect(verifyManifest(publicKey, changed, msig)).toBe(false);
    expect(checkRelease(publicKey, changed, msig, image)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses another key, upper-case hex, DER signatures and wrong lengths without throwing', () => {
    const other = newReleaseKeyPair();
    expect(verifyManifest(other.publicKey, manifest, msig)).toBe(false);
    expect(verifyManifest(publicKey, manifest, msig.toUpperCase())).toBe(false);
    expect(verifyManifest(publicKey, manifest, msig.slice(2))).toBe(false);
    expect(verifyManifest(publicKey, manifest, `${msig}00`)).toBe(false);
    expect(verifyManifest(publicKey, manifest, '0'.repeat(128))).toBe(false);
    expect(verifyManifest(publicKey, manifest, 'f'.repeat(128))).toBe(false);
  });

  it('checks the image size and hash after the signature', () => {
    expect(checkRelease(publicKey, manifest, msig, image.subarray(1))).toMatchObject({ ok: false, reason: 'wrong_size' });
    const tampered = Buffer.from(image);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect(checkRelease(publicKey, manifest, msig, tampered)).toMatchObject({ ok: false, reason: 'bad_hash' });
    expect(checkRelease(publicKey, 'sl-fw1;nonsense', msig, image)).toMatchObject({ ok: false, reason: 'malformed_manifest' });
  });

  it('reads the public key as PEM or base64 SPKI and exports the 65-byte point', () => {
    const described = describePublicKey(publicKey);
    expect(verifyManifest(parseReleasePublicKey(described.pem), manifest, msig)).toBe(true);
    expect(verifyManifest(parseReleasePublicKey(described.spkiBase64), manifest, msig)).toBe(true);
    expect(described.pointHex).toMatch(/^04[0-9a-f]{128}$/);
    const jwk = publicKey.export({ format: 'jwk' });
    expect(described.pointHex.slice(2, 66)).toBe(Buffer.from(jwk.x ?? '', 'base64url').toString('hex'));
  });

  it('refuses keys that are not P-256', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    expect(() => parseReleasePublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(ReleaseKeyError);
    expect(() => parseReleasePublicKey(p384.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(ReleaseKeyError);
    expect(() => parseReleasePrivateKey(p384.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(ReleaseKeyError);
    expect(() => parseReleasePublicKey('not a key')).toThrow(ReleaseKeyError);
  });
});
