/** Events per minute for the fleet chart: oldest minute first, the current minute last. */
export const CHART_MINUTES = 30;
const MINUTE = 60_000;

export function minuteBuckets(times: readonly number[], now: number, minutes = CHART_MINUTES): number[] {
  const buckets = new Array<number>(minutes).fill(0);
  const currentMinute = Math.floor(now / MINUTE);
  for (const time of times) {
    const age = currentMinute - Math.floor(time / MINUTE);
    if (age >= 0 && age < minutes) buckets[minutes - 1 - age] = (buckets[minutes - 1 - age] ?? 0) + 1;
  }
  return buckets;
}

/** Drops times older than the chart's window. */
export function pruneTimes(times: readonly number[], now: number, minutes = CHART_MINUTES): number[] {
  const oldest = (Math.floor(now / MINUTE) - minutes + 1) * MINUTE;
  return times.filter((time) => time >= oldest);
}

/**
 * Whether the chart has anything to show. Thirty empty minutes are "no data", not a flat line at 0
 * that looks like a measurement (the audit log may simply hold nothing yet, or not be loaded).
 */
export function hasEventData(buckets: readonly number[]): boolean {
  return buckets.some((count) => count > 0);
}

/** The chart in words, for screen readers and for everyone who prefers numbers. */
export function summarizeBuckets(buckets: readonly number[]): string {
  if (!hasEventData(buckets)) return `No data: no events in the last ${buckets.length} minutes.`;
  const total = buckets.reduce((sum, count) => sum + count, 0);
  const last = buckets[buckets.length - 1] ?? 0;
  const peak = Math.max(0, ...buckets);
  return `${total} events in the last ${buckets.length} minutes; ${last} this minute; peak ${peak} per minute.`;
}
