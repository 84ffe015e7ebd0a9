import { useId } from 'react';
import { linePath, offlineSpans, RSSI_SCALE, summarizeDiagnostics, timeTicks, timeX, type DiagnosticsPointView, type DiagnosticsRange } from '../lib/diagnostics';

const BOX = { width: 300, height: 100 };
const BATTERY_SCALE = { min: 0, max: 100 };

interface Props {
  points: readonly DiagnosticsPointView[];
  range: DiagnosticsRange;
  from: number;
  to: number;
}

/**
 * Battery (solid) and signal (dashed) lines over the range, with offline stretches as shaded bands.
 * Hand-made SVG; its accessible name is the whole chart in one sentence. Axis labels are HTML: the
 * SVG stretches to the width, which would distort text.
 */
export function DiagnosticsChart({ points, range, from, to }: Props) {
  const legendId = useId();
  const summary = summarizeDiagnostics(points, range, from, to);
  const battery = linePath(points, (p) => p.battery, BATTERY_SCALE, from, to, BOX);
  const signal = linePath(points, (p) => p.rssi, RSSI_SCALE, from, to, BOX);
  const bands = offlineSpans(points, from, to);
  return (
    <figure className="diagnostics-chart chart">
      <div className="chart-y-labels" aria-hidden="true">
        <span>Battery 100 % · Signal {RSSI_SCALE.max} dBm</span>
      </div>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={summary} aria-describedby={legendId} preserveAspectRatio="none">
        {bands.map((band) => (
          <rect
            key={band.start}
            className="offline-band"
            x={timeX(band.start, from, to, BOX)}
            y={0}
            width={Math.max(1, timeX(band.end, from, to, BOX) - timeX(band.start, from, to, BOX))}
            height={BOX.height}
          />
        ))}
        <line x1="0" y1={BOX.height - 0.5} x2={BOX.width} y2={BOX.height - 0.5} className="axis" />
        <line x1="0.5" y1="0" x2="0.5" y2={BOX.height} className="axis" />
        {battery && <path d={battery} className="battery-line" vectorEffect="non-scaling-stroke" />}
        {signal && <path d={signal} className="signal-line" vectorEffect="non-scaling-stroke" />}
      </svg>
      <div className="chart-y-labels" aria-hidden="true">
        <span>Battery 0 % · Signal {RSSI_SCALE.min} dBm</span>
      </div>
      <div className="chart-x-ticks" aria-hidden="true">
        {timeTicks(range).map((tick) => (
          <span key={tick}>{tick}</span>
        ))}
      </div>
      <figcaption id={legendId} className="chart-legend">
        <span className="key battery-key">Battery (%)</span> <span className="key signal-key">Signal (dBm)</span>{' '}
        <span className="key offline-key">Offline</span>
      </figcaption>
    </figure>
  );
}
