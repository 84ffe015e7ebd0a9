import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { ReassignLockDocument } from '../../operations/locks';

export function ReassignControl({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const store = useLocksStore();
  const inputId = useId();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      const data = await request(ReassignLockDocument, { deviceId: lock.deviceId, username: username.trim() });
      store.upsert(data.reassignLock);
      setUsername('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="inline-row" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor={inputId} className="visually-hidden">
        New owner for {lock.name}
      </label>
      <input id={inputId} value={username} size={10} placeholder="username" autoCapitalize="none" onChange={(e) => setUsername(e.target.value)} />
      <button type="submit" disabled={pending}>
        Reassign<span className="visually-hidden"> {lock.name}</span>
      </button>
      <FormError message={error} />
    </form>
  );
}
