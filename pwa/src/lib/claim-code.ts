/**
 * The code on a lock's box (docs/protocol.md "Claiming"), read in the browser: the api's own parser
 * (dependency free) with the browser's SHA-256, so a typo is caught before anything is sent.
 */
import { parseClaimCode, type ParsedClaimCode } from '../../../api/src/claims/claim-code';

const sha256 = async (text: string): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

export function readClaimCode(raw: string): Promise<ParsedClaimCode> {
  return parseClaimCode(raw, sha256);
}

/** What to tell the person about a code they typed; null when it reads as a code. */
export async function claimCodeProblem(raw: string): Promise<string | null> {
  if (raw.trim() === '') return 'Enter the code printed on the lock or its box.';
  const parsed = await readClaimCode(raw);
  if (parsed.ok) return null;
  return parsed.reason === 'check'
    ? 'This code has a typo: check it against the box.'
    : 'A code looks like SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY.';
}

/** The code in a link opened from the QR code (`https://<app>/claim#<code>`), if any. */
export function codeFromLink(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, ''));
  } catch {
    return '';
  }
}

/**
 * The code in what the scanner read: a lock's QR code holds the bare code (the virtual lock, a
 * box), or the link `<app>/claim#<code>` when the printer knows the app's address (the simulator
 * with --api).
 */
export function codeFromScan(text: string): string {
  return codeFromLink(text.includes('#') ? text.slice(text.indexOf('#')) : `#${encodeURIComponent(text)}`);
}
