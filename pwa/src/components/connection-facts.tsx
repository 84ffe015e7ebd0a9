import { connectionFacts, type LockConnection } from '../lib/provisioning';
import { CopyButton } from './copy-button';

/** Where and how the lock reaches the broker, next to its id and secret. */
export function ConnectionFacts({ connection }: { connection: LockConnection }) {
  return (
    <>
      <dl>
        {connectionFacts(connection).map((fact) => (
          <div key={fact.key} className="credential">
            <dt id={`connection-${fact.key}`}>{fact.label}</dt>
            <dd>
              <output aria-labelledby={`connection-${fact.key}`}>
                <code>{fact.value}</code>
              </output>
              {fact.copy && <CopyButton label={`Copy ${fact.label.toLowerCase()}`} value={fact.value} />}
            </dd>
          </div>
        ))}
      </dl>
      {connection.hostGuessed && (
        <p className="hint">
          The broker host is a guess from this app’s address. If locks reach the broker under another name, the server’s
          administrator sets <code>MQTT_PUBLIC_HOST</code>.
        </p>
      )}
    </>
  );
}
