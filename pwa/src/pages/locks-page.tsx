import { useMemo } from 'react';
import { FormError } from '../components/form-error';
import { IncomingTransfers } from '../components/incoming-transfers';
import { Link } from '../components/link';
import { LockCard } from '../components/lock-card';
import { PageHeading } from '../components/page-heading';
import { useEndedShares } from '../hooks/use-ended-shares';
import { useLocks } from '../hooks/use-locks';
import { ownLocks } from '../lib/own-locks';

/** The viewer's own locks and those shared with them; an admin's view of everyone's is the admin page. */
export function LocksPage({ username }: { username: string }) {
  const { locks: visible, loading, error, lost } = useLocks();
  const locks = useMemo(() => ownLocks(visible, username), [visible, username]);
  const ended = useEndedShares({ locks: visible, lost });
  return (
    <>
      <PageHeading title="My locks">My locks</PageHeading>
      <FormError message={error} />
      <IncomingTransfers />
      {ended.map((name) => (
        <p key={name} className="notice" role="status">
          {name} is no longer shared with you.
        </p>
      ))}
      {loading && locks.length === 0 && <p className="muted">Loading your locks…</p>}
      {!loading && locks.length === 0 && !error && (
        <p className="empty">
          No locks yet. <Link href="/add">Register your first lock</Link>.
        </p>
      )}
      <div className="lock-grid">
        {locks.map((lock) => (
          <LockCard key={lock.deviceId} lock={lock} />
        ))}
      </div>
    </>
  );
}
