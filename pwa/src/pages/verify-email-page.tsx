import { useEffect, useState } from 'react';
import { PageHeading } from '../components/page-heading';
import { errorMessage, postGraphQL } from '../lib/graphql-http';
import { VerifyRecoveryEmailDocument } from '../operations/recovery';

/** `/verify-email#<token>`: the link mailed to a new recovery address; opening it confirms the address. */
export default function VerifyEmailPage() {
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, '')).trim());
  const [result, setResult] = useState<{ ok: true; address: string } | { ok: false; message: string } | null>(null);

  useEffect(() => {
    // The token leaves the address bar and the history once read (same path: no navigation).
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
    if (!token) {
      setResult({ ok: false, message: 'This page opens from the link mailed to your recovery address.' });
      return;
    }
    let cancelled = false;
    postGraphQL(fetch, VerifyRecoveryEmailDocument, { token }, null).then(
      (data) => !cancelled && setResult({ ok: true, address: data.verifyRecoveryEmail.address }),
      (e: unknown) => !cancelled && setResult({ ok: false, message: errorMessage(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  return (
    <div className="auth-page">
      <PageHeading title="Confirm your email address">Confirm your email address</PageHeading>
      {result === null && <p role="status">Confirming…</p>}
      {result?.ok && (
        <p role="status" className="notice">
          {result.address} is confirmed: “Forgot password?” can send a recovery link there.
        </p>
      )}
      {result && !result.ok && (
        <p role="alert" className="form-error">
          {result.message}
        </p>
      )}
      <p>
        <a href="/">Open Smartlock</a>
      </p>
    </div>
  );
}
