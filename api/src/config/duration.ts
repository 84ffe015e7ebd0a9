const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/**
 * Parses a duration such as `15m`, `30d`, `900s`, `250ms` or a bare number of
 * seconds into milliseconds. Returns null for anything else.
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? 's') as Unit;
  return Number(match[1]) * UNIT_MS[unit];
}
