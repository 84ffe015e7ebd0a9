/**
 * Freshness of a status (docs/protocol.md §6): `ts` says when the lock sent it,
 * and a status sent longer ago than the allowed skew — or "in the future" — is
 * not evidence of the lock's state now. Without this, statuses held back and
 * released later make an old state look current. `ts` 0 means the lock has no
 * time yet; such a status proves nothing about when it was sent, so it is not
 * fresh either (the server answers with a signed `time` message instead).
 */

export type Freshness = { fresh: true; skewS: number } | { fresh: false; detail: string };

/** @param ts the status's `ts` (unix seconds) @param nowMs the server clock @param maxSkewS STATUS_MAX_SKEW_S */
export function checkFreshness(ts: number, nowMs: number, maxSkewS: number): Freshness {
  if (ts === 0) return { fresh: false, detail: 'ts 0: the lock has no time yet' };
  // Whole seconds on both sides, so a lock that truncates and a server that does not agree.
  const skewS = ts - Math.floor(nowMs / 1000);
  if (Math.abs(skewS) > maxSkewS) return { fresh: false, detail: `ts ${ts} is ${skewS > 0 ? `${skewS} s ahead` : `${-skewS} s old`}` };
  return { fresh: true, skewS };
}
