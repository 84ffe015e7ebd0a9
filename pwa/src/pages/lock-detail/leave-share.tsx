import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { navigate } from '../../lib/navigation';
import { RevokeShareDocument } from '../../operations/shares';

/** "Leave": someone the lock is shared with gives their access back. */
export function LeaveShare({ lock, shareId }: { lock: Lock; shareId: string }) {
  const { request } = useServices();
  const store = useLocksStore();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leave = async () => {
    setConfirming(false);
    setError(null);
    try {
      await request(RevokeShareDocument, { shareId });
      store.remove(lock.deviceId, 'SHARE_REVOKED');
      navigate('/');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Leave this lock
      </button>
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Leave ${lock.name}?`}
        confirmLabel="Leave"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => void leave()}
      >
        <p>You can no longer lock or unlock it; only {lock.owner.username} can share it with you again.</p>
      </ConfirmDialog>
    </div>
  );
}
