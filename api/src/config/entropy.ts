/**
 * A conservative estimate of a secret's entropy in bits, from its length and
 * the alphabet it appears to be drawn from. It cannot prove randomness; it
 * catches short, low-variety values such as `changeme-changeme-changeme-123`.
 */
export function estimateEntropyBits(secret: string): number {
  const distinct = new Set(secret).size;
  let bitsPerChar: number;
  if (/^[0-9a-fA-F]+$/.test(secret)) bitsPerChar = 4;
  else if (/^[A-Za-z0-9+/=_-]+$/.test(secret)) bitsPerChar = 6;
  else bitsPerChar = 6.5;
  // A long value built from few characters is not random.
  if (distinct < 12) bitsPerChar = Math.min(bitsPerChar, Math.log2(Math.max(distinct, 2)));
  return Math.floor(secret.length * bitsPerChar);
}
