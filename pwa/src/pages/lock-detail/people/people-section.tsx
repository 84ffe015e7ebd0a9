import { useState } from 'react';
import { FormError } from '../../../components/form-error';
import { useLockShares } from '../../../hooks/use-lock-shares';
import { useNow } from '../../../hooks/use-now';
import { useServices } from '../../../hooks/use-services';
import { errorMessage } from '../../../lib/graphql-http';
import type { Lock } from '../../../lib/locks-store';
import { lockTimeZone } from '../../../lib/lock-access';
import { ShareLockDocument } from '../../../operations/shares';
import { Invitations } from './invitations';
import { ShareForm } from './share-form';
import { ShareRow } from './share-row';

/**
 * "People": who else may use the lock. The owner (or an admin) shares it by username or by an
 * invitation link, changes and revokes shares; a co-owner sees the list only.
 */
export function PeopleSection({ lock, manage }: { lock: Lock; manage: boolean }) {
  const { request } = useServices();
  const { shares, invitations, loading, error, reload } = useLockShares(lock.deviceId, manage);
  const now = useNow(60_000);
  const timeZone = lockTimeZone(lock);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [shareError, setShareError] = useState<string | null>(null);
  const [done, setDone] = useState('');

  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <FormError message={error} />
      {loading && <p className="muted">Loading…</p>}
      {!loading && shares.length === 0 && !error && <p className="muted">Only {lock.owner.username} can use this lock.</p>}
      {shares.length > 0 && (
        <ul className="share-list" aria-label="Shared with">
          {shares.map((share) => (
            <ShareRow key={share.id} share={share} lockName={lock.name} timeZone={timeZone} now={now} manage={manage} onChanged={reload} />
          ))}
        </ul>
      )}
      <p role="status" className="muted">
        {done}
      </p>
      {manage && !open && (
        <button type="button" onClick={() => setOpen(true)}>
          Share this lock
        </button>
      )}
      {manage && open && (
        <ShareForm
          mode="share"
          timeZone={timeZone}
          submitLabel="Share"
          pending={pending}
          onCancel={() => setOpen(false)}
          onSubmit={({ username, role, access }) => {
            setPending(true);
            setShareError(null);
            setDone('');
            request(ShareLockDocument, { deviceId: lock.deviceId, username, role, access })
              .then(
                (data) => {
                  setOpen(false);
                  setDone(`Shared with ${data.shareLock.guest}.`);
                  reload();
                },
                (e: unknown) => setShareError(errorMessage(e)),
              )
              .finally(() => setPending(false));
          }}
        />
      )}
      <FormError message={shareError} />
      {manage && <Invitations deviceId={lock.deviceId} timeZone={timeZone} now={now} invitations={invitations} onChanged={reload} />}
    </section>
  );
}
