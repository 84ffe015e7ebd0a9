import { useNow } from '../hooks/use-now';
import { boltBadge, doorBadge, lastChangeText } from '../lib/door-display';
import type { Situation } from '../lib/connectivity';
import { availabilityBadge, batteryBadge, issueBadge, lastKnown } from '../lib/lock-badges';
import type { Lock } from '../lib/locks-store';
import { lastSeenText } from '../lib/relative-time';
import { Badge } from './badge';

/**
 * Bolt, door, availability, battery and issue badges, one per alert in force ("Door left open"), what moved the bolt last (v2 locks), and,
 * for a lock that is not online, "Last seen … ago" ticking every second. While it is online the badge says so and no time is shown:
 * heartbeats that change nothing are not pushed to the app (that would flood every dashboard), so a ticking age would drift away
 * from the truth between changes.
 */
export function LockFacts({ lock, situation = 'live' }: { lock: Lock; situation?: Situation }) {
  const now = useNow(1000);
  const battery = batteryBadge(lock.battery, lock.power);
  const issue = issueBadge(lock.issue);
  // Live only while the app reaches the server and the server reaches the lock; otherwise the last known state, greyed.
  const live = situation === 'live' && lock.state === 'AVAILABLE';
  const bolt = live || lock.status === 'UNKNOWN' ? boltBadge(lock) : lastKnown(boltBadge(lock));
  const doorNow = doorBadge(lock.door);
  const door = doorNow && !live ? lastKnown(doorNow) : doorNow;
  const change = lastChangeText(lock, lock.lastChangedAt, now);
  return (
    <div className="lock-facts">
      <p className="badges">
        <Badge badge={bolt} />
        {door && <Badge badge={door} />}
        <Badge badge={availabilityBadge(lock.state, situation)} />
        {battery && <Badge badge={battery} />}
        {issue && <Badge badge={issue} />}
        {lock.alerts.map((alert) => (
          <Badge key={alert.kind} badge={{ text: alert.message, tone: 'bad' }} />
        ))}
      </p>
      {change && <p className="last-change">{change}</p>}
      {!live && (
        <p className="last-seen">
          {lock.lastSeen ? <time dateTime={lock.lastSeen}>{lastSeenText(lock.lastSeen, now)}</time> : lastSeenText(null, now)}
        </p>
      )}
    </div>
  );
}
