import { useNow } from '../hooks/use-now';
import { boltBadge, doorBadge, lastChangeText } from '../lib/door-display';
import { availabilityBadge, batteryBadge, issueBadge } from '../lib/lock-badges';
import type { Lock } from '../lib/locks-store';
import { lastSeenText } from '../lib/relative-time';
import { Badge } from './badge';

/**
 * Bolt, door, availability, battery and issue badges, one per alert in force ("Door left open"), what moved the bolt last (v2 locks), and,
 * for a lock that is not online, "Last seen … ago" ticking every second. While it is online the badge says so and no time is shown:
 * heartbeats that change nothing are not pushed to the app (that would flood every dashboard), so a ticking age would drift away
 * from the truth between changes.
 */
export function LockFacts({ lock }: { lock: Lock }) {
  const now = useNow(1000);
  const battery = batteryBadge(lock.battery, lock.power);
  const issue = issueBadge(lock.issue);
  const door = doorBadge(lock.door);
  const change = lastChangeText(lock, lock.lastChangedAt, now);
  return (
    <div className="lock-facts">
      <p className="badges">
        <Badge badge={boltBadge(lock)} />
        {door && <Badge badge={door} />}
        <Badge badge={availabilityBadge(lock.state)} />
        {battery && <Badge badge={battery} />}
        {issue && <Badge badge={issue} />}
        {lock.alerts.map((alert) => (
          <Badge key={alert.kind} badge={{ text: alert.message, tone: 'bad' }} />
        ))}
      </p>
      {change && <p className="last-change">{change}</p>}
      {lock.state !== 'AVAILABLE' && (
        <p className="last-seen">
          {lock.lastSeen ? <time dateTime={lock.lastSeen}>{lastSeenText(lock.lastSeen, now)}</time> : lastSeenText(null, now)}
        </p>
      )}
    </div>
  );
}
