import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { ReassignLockDocument } from '../../operations/locks';

/** Gives a lock to a user picked from `usernames` (never typed), after asking. */
export function ReassignControl({ lock, usernames }: { lock: Lock; usernames: readonly string[] }) {
  const { request } = useServices();
  const store = useLocksStore();
  const selectId = useId();
  const [picked, setPicked] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const formerOwner = lock.owner.username;
  const candidates = usernames.filter((username) => username !== formerOwner);
  // The owner may change live (to the very user picked): then nothing is picked any more.
  const username = candidates.includes(picked) ? picked : '';
  // Two locks may share a name: the device id tells them apart for screen readers.
  const label = `${lock.name} (${lock.deviceId})`;

  const ask = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(username ? null : 'Choose the user to give this lock to.');
    if (username) setConfirming(true);
  };

  const reassign = async () => {
    setConfirming(false);
    setPending(true);
    try {
      const data = await request(ReassignLockDocument, { deviceId: lock.deviceId, username });
      store.upsert(data.reassignLock);
      setPicked('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <form className="inline-row" noValidate onSubmit={ask}>
        <label htmlFor={selectId} className="visually-hidden">
          New owner for {label}
        </label>
        <select id={selectId} value={username} onChange={(e) => setPicked(e.target.value)}>
          <option value="">Choose a user</option>
          {candidates.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </select>
        <button type="submit" disabled={pending}>
          Reassign<span className="visually-hidden"> {label}</span>
        </button>
      </form>
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Give ${lock.name} to ${username}?`}
        confirmLabel="Reassign"
        onConfirm={() => void reassign()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {formerOwner} loses access to <code>{lock.deviceId}</code> at once, open pages included; {username} can lock and unlock it.
        </p>
      </ConfirmDialog>
    </>
  );
}
