/**
 * Dates as the Flask system may have left them: a BSON date, Python's `time.time()` (float
 * seconds), milliseconds, an ISO 8601 string, or nothing. Mapped on read so no old document stops
 * a query; anything unreadable counts as absent (the caller picks the fallback, e.g. the ObjectId's time).
 */
const SECONDS_BEFORE = 1e11; // 1e11 seconds is the year 5138; as milliseconds, 1973

export function seedDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value < SECONDS_BEFORE ? value * 1000 : value);
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return seedDate(Number(text));
    // Python's isoformat() without a zone is the server's local time; Flask apps ran on UTC hosts.
    const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  return null;
}

/** A query condition for "stored, but not as a date" (such a lock is treated as long unseen). */
export const NOT_A_DATE = { $exists: true, $not: { $type: 'date' } } as const;
