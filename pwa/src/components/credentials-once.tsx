import type { RegistrationFieldsFragment } from '../gql/graphql';
import { CopyButton } from './copy-button';

interface Props {
  registration: RegistrationFieldsFragment;
  onDone: () => void;
}

const FIELDS = [
  { key: 'deviceSecret', label: 'Device secret', copy: 'Copy device secret' },
  { key: 'mqttUsername', label: 'MQTT username', copy: 'Copy MQTT username' },
  { key: 'mqttPassword', label: 'MQTT password', copy: 'Copy MQTT password' },
] as const;

/** A lock's secret and broker credentials, shown this one time only (the server keeps no copy to show). */
export function CredentialsOnce({ registration, onDone }: Props) {
  return (
    <section className="card credentials" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Credentials for {registration.lock.name}</h2>
      <p className="warning">
        <strong>Copy these now:</strong> they will not be shown again. Put them into the lock (device id{' '}
        <code>{registration.lock.deviceId}</code>); if they are lost, rotate the secret.
      </p>
      <dl>
        {FIELDS.map((field) => (
          <div key={field.key} className="credential">
            <dt id={`credential-${field.key}`}>{field.label}</dt>
            <dd>
              <output aria-labelledby={`credential-${field.key}`}>
                <code>{registration[field.key]}</code>
              </output>
              <CopyButton label={field.copy} value={registration[field.key]} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="primary" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
