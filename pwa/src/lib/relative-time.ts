/** "12 s ago", "3 min ago", "5 h ago", "2 d ago"; "never seen" without a time. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never seen';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'never seen';
  // A clock slightly ahead of ours is not "in the future" for people.
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** "Last seen 12 s ago" or "Never seen". */
export function lastSeenText(iso: string | null | undefined, now: number): string {
  const relative = relativeTime(iso, now);
  return relative === 'never seen' ? 'Never seen' : `Last seen ${relative}`;
}
