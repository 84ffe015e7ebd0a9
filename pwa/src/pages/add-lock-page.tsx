import { useState, type FormEvent } from 'react';
import { ClaimLockForm } from '../components/claim-lock-form';
import { CredentialsOnce } from '../components/credentials-once';
import { Link } from '../components/link';
import { FormError } from '../components/form-error';
import { PageHeading } from '../components/page-heading';
import { useLocks } from '../hooks/use-locks';
import { useLocksStore, useServices } from '../hooks/use-services';
import type { LockFieldsFragment, RegistrationFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../lib/graphql-http';
import { navigate } from '../lib/navigation';
import { lockPath } from '../lib/routes';
import { RegisterLockDocument } from '../operations/locks';

export function AddLockPage() {
  const { request } = useServices();
  const store = useLocksStore();
  const [deviceId, setDeviceId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Held only in memory, dropped on "Done": the secret is never stored.
  const [registration, setRegistration] = useState<RegistrationFieldsFragment | null>(null);
  const [claimed, setClaimed] = useState<LockFieldsFragment | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      const data = await request(RegisterLockDocument, { deviceId: deviceId.trim(), name: name.trim() });
      setRegistration(data.registerLock);
      void store.load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <PageHeading title="Add a lock">Add a lock</PageHeading>
      {claimed ? (
        <WaitingForLock claimed={claimed} />
      ) : registration ? (
        <CredentialsOnce
          registration={registration}
          onDone={() => {
            setRegistration(null);
            navigate('/');
          }}
        />
      ) : (
        <>
          <h2>Enter the code on the box</h2>
          <ClaimLockForm
            onClaimed={(lock) => {
              setClaimed(lock);
              void store.load();
            }}
          />
          <details className="card">
            <summary>Register by device ID (advanced: locks set up before claiming, or built yourself)</summary>
            <form className="form" noValidate onSubmit={(e) => void submit(e)}>
              <label htmlFor="device-id">Device ID</label>
              <input
                id="device-id"
                name="deviceId"
                required
                autoCapitalize="none"
                spellCheck={false}
                aria-describedby="device-id-hint"
                value={deviceId}
                onChange={(e) => setDeviceId(e.target.value)}
              />
              <p id="device-id-hint" className="hint">
                What the lock calls itself: 3–64 letters, digits, “-” or “_”.
              </p>
              <label htmlFor="lock-name">Name</label>
              <input id="lock-name" name="name" required value={name} onChange={(e) => setName(e.target.value)} />
              <FormError message={error} />
              <button type="submit" className="primary" disabled={pending}>
                Register
              </button>
            </form>
          </details>
        </>
      )}
    </>
  );
}

/** After claimLock: the lock has its credentials on the way and comes online by itself. */
function WaitingForLock({ claimed }: { claimed: LockFieldsFragment }) {
  const { locks } = useLocks();
  const online = locks.find((lock) => lock.deviceId === claimed.deviceId)?.online ?? false;
  return (
    <div className="card" role="status" aria-live="polite">
      <h2>{claimed.name}</h2>
      {online ? (
        <p>
          Online. <Link href={lockPath(claimed.deviceId)}>Open the lock</Link>
        </p>
      ) : (
        <p>Waiting for the lock… It receives its credentials over the network and comes online by itself, usually within a few seconds.</p>
      )}
    </div>
  );
}
