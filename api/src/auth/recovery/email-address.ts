/** Email addresses as the recovery feature keeps them: trimmed, lower-cased, of a plain shape and bounded. */

/** RFC 5321's limit on a path; longer is not an address anyone can receive mail at. */
const MAX_LENGTH = 254;
// Deliberately plain: one @, no spaces or angle brackets, a dot in the domain. The link proves the rest.
const SHAPE = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/** The normalised address, or null when `raw` is not one. */
export function normalizeEmail(raw: string): string | null {
  const address = raw.trim().toLowerCase();
  return address.length <= MAX_LENGTH && SHAPE.test(address) ? address : null;
}
