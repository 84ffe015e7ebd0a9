import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import { useTransferOffers } from '../../hooks/use-transfer-offers';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { CancelLockTransferDocument, OfferLockTransferDocument } from '../../operations/lock-transfers';

/**
 * "Transfer to another person" (the owner): offers the lock to a username, who accepts or declines
 * it in their app; the open offer can be withdrawn. Asks for the password when the last check is
 * too old (step-up, handled by `request`).
 */
export function TransferLock({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const { made, reload } = useTransferOffers();
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const offer = made.find((o) => o.deviceId === lock.deviceId);

  const ask = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = username.trim();
    setError(name ? null : 'Type the username of the person to give this lock to.');
    if (name) setConfirming(true);
  };

  const run = async (action: () => Promise<unknown>) => {
    setConfirming(false);
    setPending(true);
    setError(null);
    try {
      await action();
      setOpen(false);
      setUsername('');
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  if (offer) {
    return (
      <div>
        <p>
          Offered to <strong>{offer.toUsername}</strong> until {new Date(offer.expiresAt).toLocaleString()}: it becomes theirs when they accept.
        </p>
        <button type="button" disabled={pending} onClick={() => void run(() => request(CancelLockTransferDocument, { offerId: offer.id }))}>
          Withdraw offer
        </button>
        <FormError message={error} />
      </div>
    );
  }
  return (
    <div>
      {!open && (
        <button type="button" onClick={() => setOpen(true)}>
          Transfer to another person
        </button>
      )}
      {open && (
        <form className="inline-row" noValidate onSubmit={ask}>
          <label htmlFor={inputId}>Their username</label>
          <input id={inputId} value={username} autoComplete="off" autoCapitalize="none" onChange={(e) => setUsername(e.target.value)} />
          <button type="submit" disabled={pending}>
            Offer
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Offer ${lock.name} to ${username.trim()}?`}
        confirmLabel="Offer"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => void run(() => request(OfferLockTransferDocument, { deviceId: lock.deviceId, toUsername: username.trim() }))}
      >
        <p>
          When they accept, the lock is theirs: you lose access at once, and the lock gets a new secret (over the air when it can; otherwise they flash one). The offer is open for 7 days; you can withdraw it until then.
        </p>
      </ConfirmDialog>
    </div>
  );
}
