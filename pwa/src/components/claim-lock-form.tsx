import { useCallback, useState, type FormEvent } from 'react';
import type { LockFieldsFragment } from '../gql/graphql';
import { useServices } from '../hooks/use-services';
import { claimCodeProblem, codeFromLink, codeFromScan } from '../lib/claim-code';
import { errorMessage } from '../lib/graphql-http';
import { ClaimLockDocument } from '../operations/locks';
import { FormError } from './form-error';
import { canScanQr, QrScan } from './qr-scan';

/** "Enter the code on the box" (docs/protocol.md "Claiming"): the code, typed or scanned, and a name of the person's choosing. */
export function ClaimLockForm({ onClaimed }: { onClaimed: (lock: LockFieldsFragment) => void }) {
  const { request } = useServices();
  // A phone camera opening https://<app>/claim#<code> lands here with the code filled in.
  const [code, setCode] = useState(() =>
    typeof window !== 'undefined' && window.location.pathname === '/claim' ? codeFromLink(window.location.hash) : '',
  );
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [scanning, setScanning] = useState(false);
  const scanned = useCallback((text: string) => {
    setCode(codeFromScan(text));
    setScanning(false);
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const problem = await claimCodeProblem(code);
    if (problem) return setError(problem);
    if (name.trim() === '') return setError('Give the lock a name, e.g. Front door.');
    setPending(true);
    try {
      const data = await request(ClaimLockDocument, {
        code: code.trim(),
        name: name.trim(),
      });
      onClaimed(data.claimLock);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card form" noValidate onSubmit={(e) => void submit(e)}>
      <label htmlFor="claim-code">Code on the box</label>
      {scanning ? <QrScan onCode={scanned} onClose={() => setScanning(false)} /> : null}
      <input
        id="claim-code"
        name="code"
        required
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        aria-describedby="claim-code-hint"
        placeholder="SL1-…"
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <p id="claim-code-hint" className="hint">
        Printed on the lock and its box, under the QR code. Power the lock on and connect it to the network first: it waits to be claimed.
      </p>
      {canScanQr() && !scanning ? (
        <button type="button" onClick={() => setScanning(true)}>
          Scan the QR code
        </button>
      ) : null}
      <label htmlFor="claim-name">Lock name</label>
      <input id="claim-name" name="name" required value={name} onChange={(e) => setName(e.target.value)} />
      <FormError message={error} />
      {pending ? (
        // On Mosquitto the lock can log in only once the code is typed, so the answer may take up to 20 s.
        <p className="muted" role="status">
          Looking for the lock… this can take up to 20 seconds while it connects.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={pending}>
        Add lock
      </button>
    </form>
  );
}
