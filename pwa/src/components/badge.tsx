import type { Badge as BadgeData } from '../lib/lock-badges';

export function Badge({ badge }: { badge: BadgeData }) {
  return <span className={`badge badge-${badge.tone}`}>{badge.text}</span>;
}
