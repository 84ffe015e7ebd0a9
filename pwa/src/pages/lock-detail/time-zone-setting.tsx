import { useId, useMemo, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import { lockTimeZone } from '../../lib/lock-access';
import type { Lock } from '../../lib/locks-store';
import { deviceTimeZone, timeZoneChoices } from '../../lib/zoned-time';
import { SetLockTimeZoneDocument } from '../../operations/shares';

/**
 * The lock's time zone: guests' weekly hours are read in it. A lock still on UTC (the default) is
 * offered the device's zone, and the form says so: nothing changes until it is saved.
 */
export function TimeZoneSetting({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const store = useLocksStore();
  const current = lockTimeZone(lock);
  const device = deviceTimeZone();
  const suggested = current === 'UTC' && device !== 'UTC';
  const [zone, setZone] = useState(suggested ? device : current);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const selectId = useId();
  const choices = useMemo(() => timeZoneChoices([current, device]), [current, device]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    setDone('');
    try {
      const data = await request(SetLockTimeZoneDocument, { deviceId: lock.deviceId, timeZone: zone });
      store.upsert(data.setLockTimeZone);
      setDone(`The lock’s time zone is ${data.setLockTimeZone.timeZone}.`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor={selectId}>Time zone</label>
      <div className="inline-row">
        <select id={selectId} value={zone} onChange={(e) => setZone(e.target.value)}>
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={pending || zone === current}>
          Save time zone
        </button>
      </div>
      <p className="hint">
        {suggested
          ? `This lock still uses UTC; your device’s zone (${device}) is selected: save it to read guests’ hours there.`
          : `Guests’ days and hours are read in ${current}.`}
      </p>
      <FormError message={error} />
      <p role="status" className="muted">
        {done}
      </p>
    </form>
  );
}
