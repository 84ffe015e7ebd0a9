/**
 * Release signatures: ECDSA P-256 over the manifest's bytes, SHA-256, raw r||s
 * as 128 lowercase hex (`msig`). Signing happens offline with the release key;
 * the api and the locks only verify.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

const MSIG = /^[0-9a-f]{128}$/;

export class ReleaseKeyError extends Error {
  override name = 'ReleaseKeyError';
}

/** Reads a P-256 public key given as PEM or as base64 of the DER SPKI (one env line). */
export function parseReleasePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new ReleaseKeyError('the release public key must be a PEM or base64 SPKI public key');
  }
  assertP256(key);
  return key;
}

export function parseReleasePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ReleaseKeyError('the release private key must be a PEM private key');
  }
  assertP256(key);
  return key;
}

function assertP256(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ReleaseKeyError('the release key must be an ECDSA P-256 (prime256v1) key');
  }
}

export function newReleaseKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function signManifest(privateKey: KeyObject, manifest: string): string {
  return sign('sha256', Buffer.from(manifest, 'ascii'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('hex');
}

/** False for any msig that is not 128 lowercase hex or does not verify; never throws on input. */
export function verifyManifest(publicKey: KeyObject, manifest: string, msig: string): boolean {
  if (!MSIG.test(msig)) return false;
  try {
    return verify('sha256', Buffer.from(manifest, 'ascii'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(msig, 'hex'));
  } catch {
    return false;
  }
}

/** PEM, base64 SPKI (the FIRMWARE_PUBLIC_KEY form) and the 65-byte uncompressed point the lock stores. */
export function describePublicKey(publicKey: KeyObject): { pem: string; spkiBase64: string; pointHex: string } {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  if (point.length !== 65) throw new ReleaseKeyError('unexpected P-256 point length');
  return { pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), spkiBase64: spki.toString('base64'), pointHex: point.toString('hex') };
}
