import { EventsChart } from '../../components/events-chart';
import { useEventsPerMinute } from '../../hooks/use-events-per-minute';
import type { Lock } from '../../lib/locks-store';

export function FleetSection({ locks }: { locks: readonly Lock[] }) {
  const { buckets, loading } = useEventsPerMinute();
  const online = locks.filter((lock) => lock.state === 'AVAILABLE').length;
  const withIssues = locks.filter((lock) => Boolean(lock.issue?.trim())).length;
  return (
    <section className="card" aria-labelledby="fleet-title">
      <h2 id="fleet-title">Fleet</h2>
      <ul className="fleet-counts">
        <li>
          Online <strong>{online}</strong>
        </li>
        <li>
          Offline <strong>{locks.length - online}</strong>
        </li>
        <li>
          With issues <strong>{withIssues}</strong>
        </li>
      </ul>
      <h3>Events per minute</h3>
      <EventsChart buckets={buckets} loading={loading} />
    </section>
  );
}
