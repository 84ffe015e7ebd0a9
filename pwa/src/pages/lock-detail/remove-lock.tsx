import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { navigate } from '../../lib/navigation';
import { RemoveLockDocument } from '../../operations/locks';

export function RemoveLock({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const store = useLocksStore();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setConfirming(false);
    setError(null);
    try {
      await request(RemoveLockDocument, { deviceId: lock.deviceId });
      store.remove(lock.deviceId);
      navigate('/');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Remove lock
      </button>
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Remove ${lock.name}?`}
        confirmLabel="Remove"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => void remove()}
      >
        <p>The lock and its command history are forgotten; the audit log keeps its entries.</p>
      </ConfirmDialog>
    </div>
  );
}
