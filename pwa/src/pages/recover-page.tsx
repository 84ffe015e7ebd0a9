import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../components/form-error';
import { PageHeading } from '../components/page-heading';
import { useServices } from '../hooks/use-services';
import { REFRESH_COOKIE_HEADERS } from '../lib/auth-http';
import { ApiError, errorMessage, postGraphQL } from '../lib/graphql-http';
import { navigate } from '../lib/navigation';
import { passwordProblem } from '../lib/password-feedback';
import { sessionFromPayload } from '../lib/session-store';
import { RecoverAccountDocument } from '../operations/recovery';

/** The token of a one-time link, from the fragment (`/recover#<token>`). */
function tokenFromHash(): string {
  return decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();
}

/**
 * `/recover#<token>`: a one-time link from an admin or a mail. A new password, and every other
 * session ends; with an authenticator app on, sign-in still asks for its code.
 */
export default function RecoverPage() {
  const { session, connectivity } = useServices();
  const [token] = useState(tokenFromHash);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);

  // The token leaves the address bar (and the history) once read.
  useEffect(() => {
    // Same path, so no navigation: only the fragment goes (navigate() ignores fragments).
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPasswordError(null);
    setPending(true);
    try {
      const payload = (await postGraphQL(fetch, RecoverAccountDocument, { token, newPassword: password }, null, REFRESH_COOKIE_HEADERS)).recoverAccount;
      connectivity.reportReachable();
      session.begin(sessionFromPayload(payload));
      navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SECOND_FACTOR_REQUIRED') {
        setNeedsCode(true);
      } else {
        const problem = passwordProblem(e);
        if (problem) setPasswordError(problem);
        else setError(errorMessage(e));
      }
      setPending(false);
    }
  };

  if (!token) {
    return (
      <div className="auth-page">
        <PageHeading title="Set a new password">Set a new password</PageHeading>
        <p className="notice">This page opens from a recovery link. Ask for one with “Forgot password?” on the sign-in page, or ask an admin.</p>
        <p>
          <a href="/signin">Sign in</a>
        </p>
      </div>
    );
  }

  if (needsCode) {
    return (
      <div className="auth-page">
        <PageHeading title="Password set">Password set</PageHeading>
        <p role="status" className="notice">
          Your new password is set and every session was signed out. Sign in with it; you will be asked for the code from your authenticator app (or a recovery
          code).
        </p>
        <p>
          <a href="/signin">Sign in</a>
        </p>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <PageHeading title="Set a new password">Set a new password</PageHeading>
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="recover-password">New password</label>
        <input
          id="recover-password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby={passwordError ? 'recover-password-hint recover-password-error' : 'recover-password-hint'}
          aria-invalid={passwordError ? true : undefined}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setPasswordError(null);
          }}
        />
        <p id="recover-password-hint" className="hint">
          At least 10 characters and hard to guess. This link works once; every device signed in to the account is signed out.
        </p>
        {passwordError && (
          <p id="recover-password-error" role="alert" className="form-error">
            {passwordError}
          </p>
        )}
        <FormError message={error} />
        <button type="submit" className="primary" disabled={pending}>
          Set password and sign in
        </button>
      </form>
    </div>
  );
}
