import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { RenameLockDocument } from '../../operations/locks';

export function RenameForm({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const store = useLocksStore();
  const [name, setName] = useState(lock.name);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setDone('');
    setPending(true);
    try {
      const data = await request(RenameLockDocument, { deviceId: lock.deviceId, name: name.trim() });
      store.upsert(data.renameLock);
      setDone(`Renamed to ${data.renameLock.name}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor="rename">Name</label>
      <div className="inline-row">
        <input id="rename" name="name" required value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={pending}>
          Rename
        </button>
      </div>
      <FormError message={error} />
      <p role="status" className="muted">
        {done}
      </p>
    </form>
  );
}
