import { useState } from 'react';
import { useLocksStore, useServices } from '../hooks/use-services';
import { useTransferOffers } from '../hooks/use-transfer-offers';
import { errorMessage } from '../lib/graphql-http';
import { AcceptLockTransferDocument, DeclineLockTransferDocument } from '../operations/lock-transfers';
import { lockPath } from '../lib/routes';
import { FormError } from './form-error';
import { Link } from './link';

/** Locks offered to the viewer, with Accept and Decline; shown above "My locks". */
export function IncomingTransfers() {
  const { request } = useServices();
  const store = useLocksStore();
  const { received, reload } = useTransferOffers();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<{ deviceId: string; name: string; note: string | null } | null>(null);

  const accept = async (offerId: string) => {
    setPending(offerId);
    setError(null);
    try {
      const { acceptLockTransfer: result } = await request(AcceptLockTransferDocument, { offerId });
      store.upsert(result.lock);
      setAccepted({ deviceId: result.lock.deviceId, name: result.lock.name, note: result.secret === 'NEEDS_NEW_SECRET' ? (result.secretNote ?? 'it cannot take one over the air') : null });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(null);
    }
  };

  const decline = async (offerId: string) => {
    setPending(offerId);
    setError(null);
    try {
      await request(DeclineLockTransferDocument, { offerId });
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(null);
    }
  };

  if (received.length === 0 && !accepted && !error) return null;
  return (
    <section className="card" aria-label="Locks offered to you">
      {accepted && (
        <p role="status">
          {accepted.name} is yours now.{' '}
          {accepted.note ? (
            <>
              It needs a new secret ({accepted.note}): open <Link href={lockPath(accepted.deviceId)}>its page</Link>, choose Rotate secret and flash it, so that its former owner's copy stops working.
            </>
          ) : (
            'It is changing its secret over the air.'
          )}
        </p>
      )}
      {received.map((offer) => (
        <div key={offer.id} className="inline-row">
          <p>
            <strong>{offer.fromUsername}</strong> offers you the lock “{offer.lockName}” (until {new Date(offer.expiresAt).toLocaleString()}).
          </p>
          <button type="button" disabled={pending === offer.id} onClick={() => void accept(offer.id)}>
            Accept
          </button>
          <button type="button" disabled={pending === offer.id} onClick={() => void decline(offer.id)}>
            Decline
          </button>
        </div>
      ))}
      <FormError message={error} />
    </section>
  );
}
