import { useCallback, useEffect, useState, type FormEvent } from "react";
import { FormError } from "../../components/form-error";
import { useServices } from "../../hooks/use-services";
import type { TwoFactorQuery } from "../../gql/graphql";
import { errorMessage } from "../../lib/graphql-http";
import {
  BeginTotpEnrollmentDocument,
  ConfirmTotpEnrollmentDocument,
  DisableTotpDocument,
  TwoFactorDocument,
} from "../../operations/account";

type Status = TwoFactorQuery["twoFactor"];

/**
 * An authenticator app as a second factor: add it (the secret as an otpauth link and as text,
 * then a first code), see the recovery codes once, or turn it off. Adding and turning off ask for
 * the password first when the session's last check is old (the step-up dialog).
 */
export function TwoFactorSection() {
  const { request } = useServices();
  const [status, setStatus] = useState<Status | null>(null);
  const [enrolment, setEnrolment] = useState<{
    secret: string;
    otpauthUri: string;
  } | null>(null);
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    try {
      setStatus((await request(TwoFactorDocument, {})).twoFactor);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [request]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (action: () => Promise<void>) => {
    setError(null);
    setPending(true);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  const begin = () =>
    act(async () =>
      setEnrolment(
        (await request(BeginTotpEnrollmentDocument, {})).beginTotpEnrollment,
      ),
    );
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void act(async () => {
      setRecoveryCodes(
        (await request(ConfirmTotpEnrollmentDocument, { code: code.trim() }))
          .confirmTotpEnrollment,
      );
      setEnrolment(null);
      setCode("");
      await load();
    });
  };
  const disable = () =>
    act(async () => {
      await request(DisableTotpDocument, {});
      setRecoveryCodes(null);
      await load();
    });

  return (
    <section className="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Authenticator app</h2>
      {recoveryCodes && (
        <div role="status">
          <p>
            <strong>Recovery codes, shown only now.</strong> Keep them somewhere
            safe: each signs you in once if you lose your phone.
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {status?.totpEnabled ? (
        <>
          <p>
            On: signing in asks for a code from the app.{" "}
            {status.recoveryCodesLeft} recovery codes left.
          </p>
          <button
            type="button"
            className="danger"
            disabled={pending}
            onClick={() => void disable()}
          >
            Turn off the authenticator app
          </button>
        </>
      ) : enrolment ? (
        <form className="form" onSubmit={confirm}>
          <p>
            Open <a href={enrolment.otpauthUri}>this link</a> on your phone, or
            add the key by hand in your authenticator app:
          </p>
          <p>
            <code aria-label="Key">{enrolment.secret}</code>
          </p>
          <label htmlFor="totp-code">The six-digit code the app shows</label>
          <input
            id="totp-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="primary" disabled={pending}>
            Turn on
          </button>
        </form>
      ) : (
        status && (
          <>
            <p>
              Off. With an app such as a password manager or an authenticator,
              signing in also asks for a code from your phone.
            </p>
            <button
              type="button"
              disabled={pending}
              onClick={() => void begin()}
            >
              Add an authenticator app
            </button>
          </>
        )
      )}
      <FormError message={error} />
    </section>
  );
}
