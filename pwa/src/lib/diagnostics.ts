/** A lock's diagnostics in words and on a chart: pure functions, tested without a browser. */

export interface DiagnosticsPointView {
  /** ms since the epoch */
  at: number;
  online: boolean;
  battery: number | null;
  rssi: number | null;
}

export type DiagnosticsRange = 'DAY' | 'WEEK';

/** The signal a person reads, from dBm (usual Wi-Fi bands). */
export function signalWords(rssi: number | null | undefined): string {
  if (rssi === null || rssi === undefined) return 'Unknown';
  if (rssi >= -55) return 'Excellent';
  if (rssi >= -67) return 'Good';
  if (rssi >= -75) return 'Fair';
  return 'Poor';
}

export function signalText(rssi: number | null | undefined): string {
  return rssi === null || rssi === undefined ? 'Unknown' : `${signalWords(rssi)} (${rssi} dBm)`;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "3 days", "5 hours", "12 minutes", "less than a minute"; "Unknown" when not reported or offline. */
export function uptimeText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds < 0) return 'Unknown';
  if (seconds < 60) return 'less than a minute';
  if (seconds < 3600) return plural(Math.floor(seconds / 60), 'minute');
  if (seconds < 86_400) return plural(Math.floor(seconds / 3600), 'hour');
  return plural(Math.floor(seconds / 86_400), 'day');
}

/** Stretches of time the lock was offline, within [from, to]: each from an offline point to the next online one. */
export function offlineSpans(points: readonly DiagnosticsPointView[], from: number, to: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start: number | null = null;
  for (const point of points) {
    if (!point.online && start === null) start = Math.max(from, point.at);
    if (point.online && start !== null) {
      spans.push({ start, end: Math.min(to, point.at) });
      start = null;
    }
  }
  if (start !== null) spans.push({ start, end: to });
  return spans.filter((span) => span.end > span.start);
}

export interface ChartBox {
  width: number;
  height: number;
}

/** Signal drawn from -100 dBm (bottom) to -30 dBm (top). */
export const RSSI_SCALE = { min: -100, max: -30 } as const;

/** x of a time within [from, to]; clamped to the box. */
export function timeX(at: number, from: number, to: number, box: ChartBox): number {
  const span = Math.max(1, to - from);
  return Math.min(box.width, Math.max(0, ((at - from) / span) * box.width));
}

/** y of a value within [min, max] (top is max); clamped to the box. */
export function valueY(value: number, min: number, max: number, box: ChartBox): number {
  const share = (Math.min(max, Math.max(min, value)) - min) / (max - min);
  return box.height - share * box.height;
}

/**
 * An SVG path through the points that have a value, broken where the value is missing (offline):
 * a line must not suggest readings across a gap.
 */
export function linePath(
  points: readonly DiagnosticsPointView[],
  value: (point: DiagnosticsPointView) => number | null,
  scale: { min: number; max: number },
  from: number,
  to: number,
  box: ChartBox,
): string {
  const parts: string[] = [];
  let drawing = false;
  for (const point of points) {
    const v = value(point);
    if (v === null || point.at < from) {
      drawing = false;
      continue;
    }
    const x = timeX(point.at, from, to, box).toFixed(1);
    const y = valueY(v, scale.min, scale.max, box).toFixed(1);
    parts.push(`${drawing ? 'L' : 'M'}${x} ${y}`);
    drawing = true;
  }
  return parts.join(' ');
}

/**
 * The history plus the lock's readings now, when it is online: the last sample may be minutes old
 * (one per interval), and a lone sample would draw no line at all.
 */
export function withPresent(points: readonly DiagnosticsPointView[], now: DiagnosticsPointView): DiagnosticsPointView[] {
  const last = points[points.length - 1];
  if (!now.online || (last && last.at >= now.at)) return [...points];
  return [...points, now];
}

/** Labels under the time axis, oldest first: "24 h ago … now" or "7 d ago … now". */
export function timeTicks(range: DiagnosticsRange): string[] {
  return range === 'DAY' ? ['24 h ago', '18 h', '12 h', '6 h', 'now'] : ['7 d ago', '5 d', '3 d', '1 d', 'now'];
}

const rangeWords = (range: DiagnosticsRange): string => (range === 'DAY' ? 'last 24 hours' : 'last 7 days');

function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? plural(minutes, 'minute') : plural(Math.round(minutes / 60), 'hour');
}

/** The chart in one sentence, for its accessible name and for anyone who prefers words. */
export function summarizeDiagnostics(points: readonly DiagnosticsPointView[], range: DiagnosticsRange, from: number, to: number): string {
  const inRange = points.filter((p) => p.at >= from);
  if (inRange.length === 0) return `No diagnostics in the ${rangeWords(range)}.`;
  const batteries = inRange.flatMap((p) => (p.battery === null ? [] : [p.battery]));
  const signals = inRange.flatMap((p) => (p.rssi === null ? [] : [p.rssi]));
  const parts: string[] = [];
  if (batteries.length > 0) parts.push(`battery ${batteries[0]} % to ${batteries[batteries.length - 1]} %`);
  if (signals.length > 0) parts.push(`signal ${Math.max(...signals)} to ${Math.min(...signals)} dBm`);
  const spans = offlineSpans(points, from, to);
  const offlineMs = spans.reduce((sum, span) => sum + span.end - span.start, 0);
  parts.push(spans.length === 0 ? 'online throughout' : `offline ${spans.length === 1 ? 'once' : `${spans.length} times`}, ${minutesText(offlineMs)} in all`);
  const text = parts.join('; ');
  return `In the ${rangeWords(range)}: ${text}.`;
}
