import { useNow } from '../hooks/use-now';
import { availabilityBadge, batteryBadge, issueBadge, statusBadge } from '../lib/lock-badges';
import type { Lock } from '../lib/locks-store';
import { lastSeenText } from '../lib/relative-time';
import { Badge } from './badge';

/** Status, availability, battery and issue badges, and "Last seen … ago" ticking every second. */
export function LockFacts({ lock }: { lock: Lock }) {
  const now = useNow(1000);
  const battery = batteryBadge(lock.battery, lock.power);
  const issue = issueBadge(lock.issue);
  return (
    <div className="lock-facts">
      <p className="badges">
        <Badge badge={statusBadge(lock.status)} />
        <Badge badge={availabilityBadge(lock.state)} />
        {battery && <Badge badge={battery} />}
        {issue && <Badge badge={issue} />}
      </p>
      <p className="last-seen">
        {lock.lastSeen ? <time dateTime={lock.lastSeen}>{lastSeenText(lock.lastSeen, now)}</time> : lastSeenText(null, now)}
      </p>
    </div>
  );
}
