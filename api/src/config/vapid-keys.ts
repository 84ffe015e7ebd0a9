/**
 * VAPID key pairs (RFC 8292): P-256, the public key as the 65-byte uncompressed point and the
 * private key as its 32-byte scalar, both base64url, the form browsers' `applicationServerKey`
 * and the web-push package take.
 */
import { createECDH } from 'node:crypto';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decode(text: string): Buffer | null {
  return BASE64URL.test(text) ? Buffer.from(text, 'base64url') : null;
}

/** A new key pair. */
export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey() drops leading zero bytes (1 key in 256 came out 31 bytes and was then refused
  // as damaged): the scalar is always 32 bytes.
  const scalar = ecdh.getPrivateKey();
  const privateKey = Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url') };
}

/** What is wrong with a configured pair, naming the variable; null when it is a pair that belongs together. */
export function vapidKeyProblem(publicKey: string, privateKey: string): string | null {
  const pub = decode(publicKey);
  if (pub?.length !== 65 || pub[0] !== 0x04) return 'VAPID_PUBLIC_KEY: must be a P-256 public key, 65 bytes uncompressed, base64url (87 characters)';
  const priv = decode(privateKey);
  if (priv?.length !== 32) return 'VAPID_PRIVATE_KEY: must be a P-256 private key, 32 bytes, base64url (43 characters)';
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(priv);
    if (!ecdh.getPublicKey().equals(pub)) return 'VAPID_PUBLIC_KEY: does not belong to VAPID_PRIVATE_KEY';
  } catch {
    return 'VAPID_PRIVATE_KEY: is not a valid P-256 private key';
  }
  return null;
}
