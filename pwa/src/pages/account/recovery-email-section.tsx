import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import type { RecoveryEmailQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { RecoveryEmailDocument, RemoveRecoveryEmailDocument, SetRecoveryEmailDocument } from '../../operations/recovery';

/**
 * The recovery email address: "Forgot password?" mails a link to it once it is confirmed by the
 * link mailed to it. Setting or removing it asks for the password first when the session's last
 * check is old (the step-up dialog).
 */
export function RecoveryEmailSection() {
  const { request } = useServices();
  const [state, setState] = useState<RecoveryEmailQuery | null>(null);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    try {
      setState(await request(RecoveryEmailDocument, {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [request]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (action: () => Promise<void>) => {
    setError(null);
    setSent(null);
    setPending(true);
    try {
      await action();
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void act(async () => {
      const saved = (await request(SetRecoveryEmailDocument, { address })).setRecoveryEmail;
      setAddress('');
      setSent(saved.address);
    });
  };

  const current = state?.recoveryEmail ?? null;
  return (
    <section className="card" aria-labelledby="recovery-email-title">
      <h2 id="recovery-email-title">Recovery email</h2>
      {state && !state.emailRecoveryAvailable && (
        <p className="hint">This server cannot send email. If you forget your password, an admin can give you a recovery link.</p>
      )}
      {current && (
        <p>
          {current.address}{' '}
          <span className={current.verified ? 'badge badge-ok' : 'badge badge-warn'}>{current.verified ? 'confirmed' : 'waiting for you to open the link we mailed'}</span>
        </p>
      )}
      {sent && (
        <p role="status" className="notice">
          We mailed a link to {sent}. Open it to confirm the address; until then it receives no recovery links.
        </p>
      )}
      {state?.emailRecoveryAvailable && (
        <form className="form" onSubmit={save}>
          <label htmlFor="recovery-email">{current ? 'New address' : 'Address'}</label>
          <input id="recovery-email" type="email" autoComplete="email" required value={address} onChange={(e) => setAddress(e.target.value)} aria-describedby="recovery-email-hint" />
          <p id="recovery-email-hint" className="hint">
            “Forgot password?” on the sign-in page mails a one-time link here. If you use an authenticator app, signing in still asks for its code.
          </p>
          <button type="submit" className="primary" disabled={pending}>
            {current ? 'Change address' : 'Add address'}
          </button>
        </form>
      )}
      {current && (
        <button type="button" disabled={pending} onClick={() => void act(async () => void (await request(RemoveRecoveryEmailDocument, {})))}>
          Remove address
        </button>
      )}
      <FormError message={error} />
    </section>
  );
}
