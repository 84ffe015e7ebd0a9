import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import type { SecretRotationFieldsFragment } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import type { Lock } from '../../lib/locks-store';
import { RotateSecretOverTheAirDocument, SecretRotationDocument } from '../../operations/secret-rotation';

const STATE_TEXT = {
  SENT: 'Changing the secret: sent to the lock, waiting for it to store the new one.',
  CONFIRMING: 'Changing the secret: the lock stored the new one, waiting for it to use it.',
} as const;

/** What the owner sees: the rotation under way, or the button, or why the lock cannot take one. */
export function RotationView({ rotation, onRotate }: { rotation: SecretRotationFieldsFragment | null; onRotate: () => void }) {
  if (!rotation) return null;
  if (rotation.secretRotation) return <p role="status">{STATE_TEXT[rotation.secretRotation.state]}</p>;
  if (rotation.overTheAirRotationUnavailable) {
    return <p className="hint">Over-the-air secret change is not available: {rotation.overTheAirRotationUnavailable}.</p>;
  }
  return (
    <button type="button" onClick={onRotate}>
      Change secret over the air
    </button>
  );
}

/** Changes the device secret of an online protocol v3 lock without flashing it (docs/protocol.md §13.3). */
export function OverTheAirRotation({ lock }: { lock: Lock }) {
  const { request } = useServices();
  const [rotation, setRotation] = useState<SecretRotationFieldsFragment | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Read again whenever the lock changes: every step of a rotation is a lock change.
  const changeKey = `${lock.state}|${lock.updatedAt}`;

  useEffect(() => {
    let live = true;
    request(SecretRotationDocument, { deviceId: lock.deviceId })
      .then((data) => live && setRotation(data.lock ?? null))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [request, lock.deviceId, changeKey]);

  const rotate = async () => {
    setConfirming(false);
    setError(null);
    try {
      setRotation((await request(RotateSecretOverTheAirDocument, { deviceId: lock.deviceId })).rotateDeviceSecretOverTheAir);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div>
      <RotationView rotation={rotation} onRotate={() => setConfirming(true)} />
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Change the secret of ${lock.name} over the air?`}
        confirmLabel="Change"
        onCancel={() => setConfirming(false)}
        onConfirm={() => void rotate()}
      >
        <p>The lock gets a new secret from the server and stays online; nothing to flash. The old secret stops working once the lock uses the new one.</p>
      </ConfirmDialog>
    </div>
  );
}
