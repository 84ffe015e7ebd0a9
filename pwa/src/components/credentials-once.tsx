import { useState } from 'react';
import type { RegistrationFieldsFragment } from '../gql/graphql';
import { useLeaveGuard } from '../hooks/use-leave-guard';
import { useLockConnection } from '../hooks/use-lock-connection';
import { provisioningDocument, provisioningFileName, provisioningText } from '../lib/provisioning';
import { ConfirmDialog } from './confirm-dialog';
import { ConnectionFacts } from './connection-facts';
import { CopyButton } from './copy-button';
import { ProvisioningFile } from './provisioning-file';
import { UsbProvisioning } from './usb-provisioning';

interface Props {
  registration: RegistrationFieldsFragment;
  onDone: () => void;
}

const FIELDS = [
  { key: 'deviceSecret', label: 'Device secret', copy: 'Copy device secret', keepsSecret: true },
  { key: 'mqttUsername', label: 'MQTT username', copy: 'Copy MQTT username', keepsSecret: false },
  { key: 'mqttPassword', label: 'MQTT password', copy: 'Copy MQTT password', keepsSecret: false },
] as const;

/**
 * A lock's secret and what it needs to reach the broker, shown this one time only (the server keeps no
 * copy to show). Leaving before the secret was copied or downloaded asks first.
 */
export function CredentialsOnce({ registration, onDone }: Props) {
  const { connection, error, retry } = useLockConnection();
  const [saved, setSaved] = useState(false);
  const [leave, setLeave] = useState<(() => void) | null>(null);
  const markSaved = () => setSaved(true);
  const { deviceId } = registration.lock;

  // The setter's function form would call `go`: wrap it so that it is stored instead.
  const lift = useLeaveGuard(!saved, (go) => setLeave(() => go));

  return (
    <section className="card credentials" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Credentials for {registration.lock.name}</h2>
      <p className="warning">
        <strong>Copy these now:</strong> they will not be shown again. Put them into the lock (device id{' '}
        <code>{deviceId}</code>); if they are lost, rotate the secret.
      </p>
      <dl>
        {FIELDS.map((field) => (
          <div key={field.key} className="credential">
            <dt id={`credential-${field.key}`}>{field.label}</dt>
            <dd>
              <output aria-labelledby={`credential-${field.key}`}>
                <code>{registration[field.key]}</code>
              </output>
              <CopyButton label={field.copy} value={registration[field.key]} {...(field.keepsSecret ? { onCopied: markSaved } : {})} />
            </dd>
          </div>
        ))}
      </dl>

      <h3>Broker</h3>
      {connection ? (
        <>
          <ConnectionFacts connection={connection} />
          <h3>Provisioning file</h3>
          <ProvisioningFile
            fileName={provisioningFileName(deviceId)}
            text={provisioningText(provisioningDocument(deviceId, registration.deviceSecret, connection))}
            onSaved={markSaved}
          />
          <UsbProvisioning document={provisioningDocument(deviceId, registration.deviceSecret, connection)} onProvisioned={markSaved} />
        </>
      ) : error ? (
        <p role="alert" className="form-error">
          Could not load the broker settings: {error}{' '}
          <button type="button" onClick={retry}>
            Try again
          </button>
        </p>
      ) : (
        <p className="muted">Loading the broker settings…</p>
      )}
      <p className="hint">
        For development, the ESP32 sketch can still be built with these values in <code>secrets.h</code> (firmware/README.md).
      </p>

      <button type="button" className="primary" onClick={() => (saved ? onDone() : setLeave(() => onDone))}>
        Done
      </button>
      <ConfirmDialog
        open={leave !== null}
        title="Leave without the secret?"
        confirmLabel="Leave"
        cancelLabel="Stay"
        danger
        onCancel={() => setLeave(null)}
        onConfirm={() => {
          const go = leave;
          setLeave(null);
          lift();
          go?.();
        }}
      >
        <p>
          The secret is shown only once, and it has been neither copied nor downloaded. Without it the lock cannot connect,
          and you would have to rotate the secret.
        </p>
      </ConfirmDialog>
    </section>
  );
}
