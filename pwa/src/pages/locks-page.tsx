import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { LockCard } from '../components/lock-card';
import { PageHeading } from '../components/page-heading';
import { useLocks } from '../hooks/use-locks';

export function LocksPage() {
  const { locks, loading, error } = useLocks();
  return (
    <>
      <PageHeading title="My locks">My locks</PageHeading>
      <FormError message={error} />
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
