import { useState, type FormEvent } from "react";
import { FormError } from "../components/form-error";
import { PageHeading } from "../components/page-heading";
import { useServices } from "../hooks/use-services";
import { errorMessage, postGraphQL } from "../lib/graphql-http";
import { withKeptFragment } from "../lib/kept-fragment";
import { navigate } from "../lib/navigation";
import { passwordProblem } from "../lib/password-feedback";
import { sessionFromPayload } from "../lib/session-store";
import { REFRESH_COOKIE_HEADERS } from "../lib/auth-http";
import {
  PasskeySecondFactorOptionsDocument,
  PasskeySignInOptionsDocument,
  SignInDocument,
  SignInSecondFactorDocument,
  SignInSecondFactorWithPasskeyDocument,
  SignInWithPasskeyDocument,
  SignUpDocument,
} from "../operations/auth";
import {
  answerWithPasskey,
  passkeyProblem,
  passkeysSupported,
} from "../lib/passkeys";
import { ApiError } from "../lib/graphql-http";
import { ForgotPasswordForm } from "./forgot-password-form";

/** Sign in, or create an account; then back to the page that asked for it (`?next=`). */
export function SignInPage({ next }: { next: string }) {
  const { session, connectivity } = useServices();
  const [mode, setMode] = useState<"signin" | "signup" | "forgot">("signin");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  // A refused new password is explained beside the password field, not at the bottom of the form.
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Set when the password was right and the account has an authenticator app: the code comes next.
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState("");
  // The second factors the account has (SECOND_FACTOR_REQUIRED says which).
  const [methods, setMethods] = useState<readonly string[]>(["totp"]);
  const signingUp = mode === "signup";
  const title = signingUp ? "Create account" : mode === "forgot" ? "Forgot password" : "Sign in";

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setPasswordError(null);
    setPending(true);
    try {
      const variables = { username: username.trim(), password };
      const payload = challenge
        ? (
            await postGraphQL(
              fetch,
              SignInSecondFactorDocument,
              { challenge, code: code.trim() },
              null,
              REFRESH_COOKIE_HEADERS,
            )
          ).signInSecondFactor
        : signingUp
          ? (
              await postGraphQL(
                fetch,
                SignUpDocument,
                variables,
                null,
                REFRESH_COOKIE_HEADERS,
              )
            ).signUp
          : (
              await postGraphQL(
                fetch,
                SignInDocument,
                variables,
                null,
                REFRESH_COOKIE_HEADERS,
              )
            ).signIn;
      connectivity.reportReachable();
      session.begin(sessionFromPayload(payload));
      // Back to the page that asked, with its #fragment (a QR link's claim code) if it had one.
      navigate(withKeptFragment(next), { replace: true });
    } catch (e) {
      if (
        e instanceof ApiError &&
        e.code === "SECOND_FACTOR_REQUIRED" &&
        typeof e.extensions.challenge === "string"
      ) {
        setChallenge(e.extensions.challenge);
        const offered = e.extensions.methods;
        setMethods(Array.isArray(offered) ? offered.map(String) : ["totp"]);
        setPending(false);
        return;
      }
      // The challenge expired (or the account changed): start again from the password.
      if (
        challenge &&
        e instanceof ApiError &&
        e.code === "UNAUTHENTICATED" &&
        e.message.startsWith("Your sign-in took too long")
      ) {
        setChallenge(null);
        setCode("");
      }
      const problem = signingUp ? passwordProblem(e) : null;
      if (problem) setPasswordError(problem);
      else setError(errorMessage(e));
      setPending(false);
    }
  };

  /**
   * A passkey, alone (with the username typed, if any) or as the second step after the password.
   * The browser's own prompt asks for the fingerprint, face or PIN.
   */
  const withPasskey = async () => {
    setError(null);
    setPending(true);
    try {
      const payload = challenge
        ? (
            await postGraphQL(
              fetch,
              SignInSecondFactorWithPasskeyDocument,
              {
                challenge,
                response: await answerWithPasskey(
                  (
                    await postGraphQL(
                      fetch,
                      PasskeySecondFactorOptionsDocument,
                      { challenge },
                      null,
                    )
                  ).passkeySecondFactorOptions,
                ),
              },
              null,
              REFRESH_COOKIE_HEADERS,
            )
          ).signInSecondFactorWithPasskey
        : (
            await postGraphQL(
              fetch,
              SignInWithPasskeyDocument,
              {
                response: await answerWithPasskey(
                  (
                    await postGraphQL(
                      fetch,
                      PasskeySignInOptionsDocument,
                      { username: username.trim() || null },
                      null,
                    )
                  ).passkeySignInOptions,
                ),
              },
              null,
              REFRESH_COOKIE_HEADERS,
            )
          ).signInWithPasskey;
      connectivity.reportReachable();
      session.begin(sessionFromPayload(payload));
      navigate(withKeptFragment(next), { replace: true });
    } catch (e) {
      if (
        challenge &&
        e instanceof ApiError &&
        e.code === "UNAUTHENTICATED" &&
        e.message.startsWith("Your sign-in took too long")
      ) {
        setChallenge(null);
      }
      setError(passkeyProblem(e) ?? errorMessage(e));
      setPending(false);
    }
  };
  const offerPasskey = passkeysSupported();

  return (
    <div className="auth-page">
      <PageHeading title={title}>{title}</PageHeading>
      {session.lastEnd === "expired" && !signingUp && (
        <p className="notice">
          Your session has ended. Sign in again to continue.
        </p>
      )}
      {mode === "forgot" ? (
        <ForgotPasswordForm onBack={() => setMode("signin")} />
      ) : challenge && !methods.includes("totp") ? (
        <div className="card form">
          <p>Use your passkey to finish signing in.</p>
          <FormError message={error} />
          <button
            type="button"
            className="primary"
            disabled={pending}
            onClick={() => void withPasskey()}
          >
            Use my passkey
          </button>
        </div>
      ) : challenge ? (
        <form className="card form" onSubmit={(e) => void submit(e)}>
          <label htmlFor="code">Code from your authenticator app</label>
          <input
            id="code"
            name="code"
            autoComplete="one-time-code"
            inputMode="text"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-describedby="code-hint"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <p id="code-hint" className="hint">
            Six digits from the app, or one of your recovery codes.
          </p>
          <FormError message={error} />
          <button type="submit" className="primary" disabled={pending}>
            Continue
          </button>
          {methods.includes("passkey") && (
            <button
              type="button"
              disabled={pending}
              onClick={() => void withPasskey()}
            >
              Use my passkey instead
            </button>
          )}
        </form>
      ) : (
        <form
          className="card form"
          onSubmit={(e) => void submit(e)}
          noValidate={false}
        >
          <label htmlFor="username">Username</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete={signingUp ? "new-password" : "current-password"}
            required
            aria-describedby={
              signingUp
                ? passwordError
                  ? "password-hint password-error"
                  : "password-hint"
                : undefined
            }
            aria-invalid={passwordError ? true : undefined}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setPasswordError(null);
            }}
          />
          {signingUp && (
            <p id="password-hint" className="hint">
              At least 10 characters and hard to guess: a few unrelated words
              work well. Common passwords and your username are refused.
            </p>
          )}
          {signingUp && passwordError && (
            <p id="password-error" role="alert" className="form-error">
              {passwordError}
            </p>
          )}
          <FormError message={error} />
          <button type="submit" className="primary" disabled={pending}>
            {title}
          </button>
          {!signingUp && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setMode("forgot");
                setError(null);
              }}
            >
              Forgot password?
            </button>
          )}
          {!signingUp && offerPasskey && (
            // Its name avoids "Sign in", which names the submit button (tests and screen-reader users look for it).
            <button
              type="button"
              aria-describedby="passkey-hint"
              disabled={pending}
              onClick={() => void withPasskey()}
            >
              Use a passkey instead
            </button>
          )}
          {!signingUp && offerPasskey && (
            <p id="passkey-hint" className="hint">
              Sign in with a passkey: no password, just your fingerprint,
              face or PIN (with the username above, or without).
            </p>
          )}
        </form>
      )}
      {mode !== "forgot" && (
      <p className="switch-mode">
        {signingUp ? "Already registered?" : "New here?"}{" "}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setMode(signingUp ? "signin" : "signup");
            setError(null);
            setPasswordError(null);
          }}
        >
          {signingUp ? "I have an account" : "Create an account"}
        </button>
      </p>
      )}
    </div>
  );
}
