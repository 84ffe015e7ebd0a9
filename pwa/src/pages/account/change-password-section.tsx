import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import { passwordProblem } from '../../lib/password-feedback';
import { ChangePasswordDocument } from '../../operations/account';

/** Current and new password; on success every other session has been signed out (`onChanged`). */
export function ChangePasswordSection({ onChanged }: { onChanged: () => void }) {
  const { request } = useServices();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPasswordError(null);
    setDone(false);
    setPending(true);
    try {
      await request(ChangePasswordDocument, { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged();
    } catch (e) {
      const problem = passwordProblem(e);
      if (problem) setPasswordError(problem);
      else setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} />
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby={passwordError ? 'new-password-hint new-password-error' : 'new-password-hint'}
          aria-invalid={passwordError ? true : undefined}
          value={newPassword}
          onChange={(e) => {
            setNewPassword(e.target.value);
            setPasswordError(null);
          }}
        />
        <p id="new-password-hint" className="hint">
          At least 10 characters and hard to guess. Every other device is signed out; this one stays signed in.
        </p>
        {passwordError && (
          <p id="new-password-error" role="alert" className="form-error">
            {passwordError}
          </p>
        )}
        <FormError message={error} />
        {done && (
          <p role="status" className="notice">
            Password changed. Every other session was signed out.
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          Change password
        </button>
      </form>
    </section>
  );
}
