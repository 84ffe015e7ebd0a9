import { useId } from 'react';
import { summarizeBuckets } from '../lib/event-buckets';

const WIDTH = 300;
const HEIGHT = 80;

/** An inline SVG bar chart of events per minute, with the same figures in words. */
export function EventsChart({ buckets }: { buckets: readonly number[] }) {
  const summaryId = useId();
  const peak = Math.max(1, ...buckets);
  const slot = WIDTH / Math.max(1, buckets.length);
  const summary = summarizeBuckets(buckets);
  return (
    <figure className="events-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Events per minute, last 30 minutes" aria-describedby={summaryId} preserveAspectRatio="none">
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="axis" />
        {buckets.map((count, index) => {
          const height = (count / peak) * (HEIGHT - 4);
          return (
            <rect key={index} x={index * slot + 1} y={HEIGHT - height} width={Math.max(1, slot - 2)} height={height} className="bar">
              <title>{`${buckets.length - 1 - index} min ago: ${count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption id={summaryId}>{summary}</figcaption>
    </figure>
  );
}
