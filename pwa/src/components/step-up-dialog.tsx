import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useServices } from '../hooks/use-services';
import { errorMessage } from '../lib/graphql-http';
import type { StepUpQuestion } from '../lib/step-up';
import { answerWithPasskey, passkeyProblem, passkeysSupported } from '../lib/passkeys';
import { PasskeyReauthenticationOptionsDocument, ReauthenticateDocument, ReauthenticateWithCodeDocument, ReauthenticateWithPasskeyDocument } from '../operations/account';
import { FormError } from './form-error';

function minutes(seconds: number | null): string {
  if (seconds === null) return 'a few minutes';
  const m = Math.round(seconds / 60);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}

/**
 * Asks for the password (or an authenticator code, or a passkey) when the api wants a recent proof
 * (STEP_UP_REQUIRED) and confirms it with `reauthenticate`; the operation that was refused is then
 * sent again (lib/api-client.ts).
 */
export function StepUpDialog() {
  const { stepUp, request } = useServices();
  const [question, setQuestion] = useState<StepUpQuestion | null>(stepUp.question);
  const [password, setPassword] = useState('');
  // An account with an authenticator app may answer with a code instead of the password.
  const [withCode, setWithCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const passwordId = useId();

  useEffect(() => stepUp.subscribe(setQuestion), [stepUp]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || typeof dialog.showModal !== 'function') return;
    if (question && !dialog.open) dialog.showModal();
    else if (!question && dialog.open) dialog.close();
    if (!question) {
      setPassword('');
      setWithCode(false);
      setError(null);
    }
  }, [question]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      if (withCode) await request(ReauthenticateWithCodeDocument, { code: password.trim() });
      else await request(ReauthenticateDocument, { password });
      stepUp.settle(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  // A passkey answers at once, without the form: the browser's own prompt asks for the fingerprint or PIN.
  const withPasskey = async () => {
    setError(null);
    setPending(true);
    try {
      const options = (await request(PasskeyReauthenticationOptionsDocument, {})).passkeyReauthenticationOptions;
      await request(ReauthenticateWithPasskeyDocument, { passkeyResponse: await answerWithPasskey(options) });
      stepUp.settle(true);
    } catch (e) {
      setError(passkeyProblem(e) ?? errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        stepUp.settle(false);
      }}
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <h2 id={titleId}>Confirm it is you</h2>
        <p>This needs your password (or an authenticator code, or a passkey) from the last {minutes(question?.maxAgeSeconds ?? null)}.</p>
        <label htmlFor={passwordId}>{withCode ? 'Code from your authenticator app' : 'Password'}</label>
        <input
          id={passwordId}
          type={withCode ? 'text' : 'password'}
          autoComplete={withCode ? 'one-time-code' : 'current-password'}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setWithCode(!withCode);
            setPassword('');
            setError(null);
          }}
        >
          {withCode ? 'Use my password instead' : 'Use an authenticator code instead'}
        </button>
        {passkeysSupported() && (
          <button type="button" disabled={pending} onClick={() => void withPasskey()}>
            Use a passkey
          </button>
        )}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => stepUp.settle(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            Confirm
          </button>
        </div>
      </form>
    </dialog>
  );
}
