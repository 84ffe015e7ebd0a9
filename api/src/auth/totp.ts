/**
 * TOTP (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 6 digits, 30-second steps, the authenticator
 * apps' defaults. node:crypto only; enrolment and the two-step sign-in are in totp.service.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase32, encodeBase32, RFC4648_ALPHABET } from '../text/base32.js';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted: clocks drift and people type slowly. */
export const TOTP_WINDOW = 1;

/** RFC 4648 base32 without padding, as otpauth:// URIs carry secrets. */
export function toBase32(bytes: Uint8Array): string {
  return encodeBase32(bytes, RFC4648_ALPHABET);
}

/** Case, spaces and padding as people type them are forgiven. */
export function fromBase32(text: string): Buffer {
  const bytes = decodeBase32(text.toUpperCase().replace(/[\s=]/g, ''), RFC4648_ALPHABET);
  if (bytes === null) throw new Error('not base32');
  return Buffer.from(bytes);
}

/** 20 random bytes (160 bits, RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return toBase32(randomBytes(20));
}

/** The time step of `epochMs`. */
export function totpStep(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_STEP_SECONDS);
}

/** HOTP(secret, counter) as a zero-padded decimal code. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totp(secretBase32: string, epochMs: number): string {
  return hotp(fromBase32(secretBase32), totpStep(epochMs));
}

/**
 * The step a code matches within the window, or null. The caller keeps the last accepted step
 * and refuses any step not above it, so a code works once.
 */
export function matchTotp(secretBase32: string, code: string, epochMs: number, window = TOTP_WINDOW): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = fromBase32(secretBase32);
  const now = totpStep(epochMs);
  let matched: number | null = null;
  // Every candidate is compared (no early exit), in constant time.
  for (let step = now - window; step <= now + window; step += 1) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code)) && matched === null) matched = step;
  }
  return matched;
}

/** The URI authenticator apps read from a QR code (Google Authenticator's Key Uri Format). */
export function otpauthUri(secretBase32: string, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({ secret: secretBase32, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${params.toString()}`;
}
