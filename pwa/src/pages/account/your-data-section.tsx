import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import { downloadText } from '../../lib/download';
import { errorMessage } from '../../lib/graphql-http';
import { DeleteAccountDocument, ExportMyDataDocument } from '../../operations/account';

/** docs/privacy.md: download everything kept about you, or delete the account (asks the password). */
export function YourDataSection() {
  const services = useServices();
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [deleting, setDeleting] = useState(false);

  const download = async () => {
    setError(null);
    setExporting(true);
    try {
      const data = await services.request(ExportMyDataDocument, {});
      downloadText(`smartlock-my-data-${new Date().toISOString().slice(0, 10)}.json`, data.exportMyData);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const erase = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setDeleting(true);
    try {
      await services.request(DeleteAccountDocument, { password });
      await services.session.signOut(); // the account is gone: back to the sign-in page
    } catch (e) {
      setError(errorMessage(e));
      setDeleting(false);
    }
  };

  return (
    <section className="card" aria-labelledby="your-data-title">
      <h2 id="your-data-title">Your data</h2>
      <p className="hint">Everything kept about you (account, locks, their commands and history), as a JSON file. No secrets are in it.</p>
      <button type="button" onClick={() => void download()} disabled={exporting}>
        Download my data
      </button>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      ) : (
        <form className="form" onSubmit={(e) => void erase(e)}>
          <p role="alert" className="notice">
            This removes your account and your locks (they stop working with this server until someone claims them again) and signs you out everywhere. History other people keep
            stays, naming a pseudonym instead of you. It cannot be undone.
          </p>
          <label htmlFor="delete-password">Your password</label>
          <input id="delete-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" className="danger" disabled={deleting}>
            Delete my account
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={deleting}>
            Cancel
          </button>
        </form>
      )}
      <FormError message={error} />
    </section>
  );
}
