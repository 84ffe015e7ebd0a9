import { useId } from 'react';
import { CHART_MINUTES, hasEventData, summarizeBuckets } from '../lib/event-buckets';

const WIDTH = 300;
const HEIGHT = 80;

/**
 * An inline SVG bar chart of events per minute, with labelled axes and the same figures in words.
 * Without any event it says "No data" rather than drawing a flat line that reads as a measured 0.
 * Axis labels are HTML around the SVG: the SVG stretches to the width, which would distort text.
 */
export function EventsChart({ buckets, loading = false }: { buckets: readonly number[]; loading?: boolean }) {
  const summaryId = useId();
  const peak = Math.max(1, ...buckets);
  const slot = WIDTH / Math.max(1, buckets.length);
  // While the backfill runs, nothing is known yet: neither "0" nor "No data".
  const summary = loading && !hasEventData(buckets) ? 'Loading events…' : summarizeBuckets(buckets);
  const minutes = buckets.length || CHART_MINUTES;
  return (
    <figure className="events-chart chart">
      <div className="chart-y-label" aria-hidden="true">
        Events per minute (count) <span className="chart-y-max">max {hasEventData(buckets) ? peak : '–'}</span>
      </div>
      {hasEventData(buckets) ? (
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Events per minute, last ${minutes} minutes`} aria-describedby={summaryId} preserveAspectRatio="none">
          <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="axis" />
          <line x1="0.5" y1="0" x2="0.5" y2={HEIGHT} className="axis" />
          {buckets.map((count, index) => {
            const height = (count / peak) * (HEIGHT - 4);
            return (
              <rect key={index} x={index * slot + 1} y={HEIGHT - height} width={Math.max(1, slot - 2)} height={height} className="bar">
                <title>{`${buckets.length - 1 - index} min ago: ${count}`}</title>
              </rect>
            );
          })}
        </svg>
      ) : (
        <p className="chart-empty">{loading ? 'Loading…' : 'No data'}</p>
      )}
      <div className="chart-x-ticks" aria-hidden="true">
        <span>{minutes} min ago</span>
        <span>now</span>
      </div>
      <div className="chart-x-label" aria-hidden="true">
        Time (minutes)
      </div>
      <figcaption id={summaryId}>{summary}</figcaption>
    </figure>
  );
}
