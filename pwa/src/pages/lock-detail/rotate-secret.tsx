import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CredentialsOnce } from '../../components/credentials-once';
import { FormError } from '../../components/form-error';
import { useLocksStore, useServices } from '../../hooks/use-services';
import type { RegistrationFieldsFragment } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { RotateDeviceSecretDocument } from '../../operations/locks';

/** Issues a new device secret after confirmation and shows it once. */
export function RotateSecret({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const store = useLocksStore();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [registration, setRegistration] = useState<RegistrationFieldsFragment | null>(null);

  const rotate = async () => {
    setConfirming(false);
    setError(null);
    try {
      const data = await request(RotateDeviceSecretDocument, { deviceId: lock.deviceId });
      setRegistration(data.rotateDeviceSecret);
      store.upsert(data.rotateDeviceSecret.lock);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (registration) return <CredentialsOnce registration={registration} onDone={() => setRegistration(null)} />;
  return (
    <div>
      <button type="button" onClick={() => setConfirming(true)}>
        Rotate secret
      </button>
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Rotate the secret of ${lock.name}?`}
        confirmLabel="Rotate"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => void rotate()}
      >
        <p>The old secret stops working at once: the lock goes offline until you put the new one in.</p>
      </ConfirmDialog>
    </div>
  );
}
