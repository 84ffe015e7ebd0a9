import { useState, type FormEvent } from 'react';
import { FormError } from '../components/form-error';
import { errorMessage, postGraphQL } from '../lib/graphql-http';
import { RequestAccountRecoveryDocument } from '../operations/recovery';

/**
 * "Forgot password?": a username or an email address. The answer is the same whether or not an
 * account matches (the api tells nobody which exist); a link goes only to a confirmed address.
 */
export function ForgotPasswordForm({ onBack }: { onBack: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      await postGraphQL(fetch, RequestAccountRecoveryDocument, { usernameOrEmail: text.trim() }, null);
      setSent(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)}>
      <label htmlFor="forgot-account">Username or email address</label>
      <input id="forgot-account" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={text} onChange={(e) => setText(e.target.value)} aria-describedby="forgot-hint" />
      <p id="forgot-hint" className="hint">
        If the account has a confirmed recovery email address, we mail it a link to set a new password. It works once, for an hour. No address? Ask an admin for a recovery link.
      </p>
      {sent && (
        <p role="status" className="notice">
          If that matches an account with a confirmed email address, a link is on its way. Check your mail.
        </p>
      )}
      <FormError message={error} />
      <button type="submit" className="primary" disabled={pending}>
        Send link
      </button>
      <button type="button" className="link-button" onClick={onBack}>
        Back to sign in
      </button>
    </form>
  );
}
