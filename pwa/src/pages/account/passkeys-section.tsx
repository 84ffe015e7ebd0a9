import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useNow } from '../../hooks/use-now';
import { useServices } from '../../hooks/use-services';
import type { PasskeysQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { createPasskey, passkeyProblem, passkeysSupported } from '../../lib/passkeys';
import { relativeTime } from '../../lib/relative-time';
import { AddPasskeyDocument, PasskeyRegistrationOptionsDocument, PasskeysDocument, RemovePasskeyDocument, RenamePasskeyDocument } from '../../operations/account';

type Passkey = PasskeysQuery['passkeys'][number];

/**
 * Passkeys: add one (the api asks for a recent proof first: the step-up dialog), rename or remove
 * one (removing asks for that proof too). Once there is one, signing in with the password also
 * asks for a passkey (or the authenticator code).
 */
export function PasskeysSection() {
  const { request } = useServices();
  const now = useNow(30_000);
  const [passkeys, setPasskeys] = useState<readonly Passkey[] | null>(null);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    try {
      setPasskeys((await request(PasskeysDocument, {})).passkeys);
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
      await load();
    } catch (e) {
      setError(passkeyProblem(e) ?? errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void act(async () => {
      const options = (await request(PasskeyRegistrationOptionsDocument, {})).passkeyRegistrationOptions;
      const response = await createPasskey(options);
      await request(AddPasskeyDocument, { response, name: name.trim() });
      setName('');
    });
  };

  const rename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!renaming) return;
    void act(async () => {
      await request(RenamePasskeyDocument, renaming);
      setRenaming(null);
    });
  };

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p>
        A passkey signs you in with your phone, computer or security key (its fingerprint, face or PIN) instead of the password. With one, signing in with
        the password also asks for it.
      </p>
      {passkeys && passkeys.length > 0 && (
        <ul className="passkey-list" aria-label="Your passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id}>
              {renaming?.id === passkey.id ? (
                <form className="form" onSubmit={rename}>
                  <label htmlFor={`rename-${passkey.id}`}>New name</label>
                  <input id={`rename-${passkey.id}`} required maxLength={64} value={renaming.name} onChange={(e) => setRenaming({ id: passkey.id, name: e.target.value })} />
                  <div className="dialog-actions">
                    <button type="button" onClick={() => setRenaming(null)}>
                      Cancel
                    </button>
                    <button type="submit" className="primary" disabled={pending}>
                      Save
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <strong>{passkey.name}</strong>{' '}
                  <span className="muted">
                    added {new Date(passkey.createdAt).toLocaleDateString()}, {passkey.lastUsedAt ? `last used ${relativeTime(passkey.lastUsedAt, now)}` : 'not used yet'}
                  </span>{' '}
                  <button type="button" aria-label={`Rename ${passkey.name}`} disabled={pending} onClick={() => setRenaming({ id: passkey.id, name: passkey.name })}>
                    Rename
                  </button>{' '}
                  <button type="button" className="danger" aria-label={`Remove ${passkey.name}`} disabled={pending} onClick={() => void act(async () => void (await request(RemovePasskeyDocument, { id: passkey.id })))}>
                    Remove
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form className="form" onSubmit={add}>
          <label htmlFor="passkey-name">Name for a new passkey</label>
          <input id="passkey-name" required maxLength={64} placeholder="e.g. My phone" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={pending}>
            Add a passkey
          </button>
        </form>
      ) : (
        <p className="muted">This browser cannot make passkeys.</p>
      )}
      <FormError message={error} />
    </section>
  );
}
