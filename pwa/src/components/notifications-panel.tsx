import { useEffect, useState } from 'react';
import type { PushKind } from '../gql/graphql';
import { usePush } from '../hooks/use-push';
import { useServices } from '../hooks/use-services';
import { errorMessage } from '../lib/graphql-http';
import { LOCK_PUSH_KINDS, type PushAvailability } from '../lib/push-support';
import { PushPreferencesDocument, SetPushPreferenceDocument } from '../operations/push';
import { FormError } from './form-error';

interface Choice {
  deviceId: string | null;
  kind: PushKind;
  enabled: boolean;
}

const AVAILABILITY_TEXT: Partial<Record<PushAvailability, string>> = {
  'needs-home-screen':
    'On iPhone and iPad, notifications reach only the app added to the Home Screen: tap Share, then Add to Home Screen, open Smartlock from there and turn them on.',
  unsupported: 'This browser cannot show notifications from a web app.',
  denied: 'Notifications are blocked for this site. Allow them in the browser’s site settings, then come back.',
};

/**
 * Push notifications on this device, and which events of this lock (and the account) to be told
 * about. An owner hears of every kind unless turned off; an admin on someone else's lock only of
 * the kinds turned on.
 */
export function NotificationsPanel({ deviceId, own }: { deviceId: string; own: boolean }) {
  const { request } = useServices();
  const push = usePush();
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    request(PushPreferencesDocument, {})
      .then((data) => live && setChoices(data.pushPreferences))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [request]);

  const enabled = (kind: PushKind, scope: string | null) => choices?.find((c) => c.kind === kind && c.deviceId === scope)?.enabled ?? (scope === null || own);
  const replace = (choice: Choice) => setChoices((known) => [...(known ?? []).filter((c) => !(c.kind === choice.kind && c.deviceId === choice.deviceId)), choice]);
  // The box follows the tap at once (a checkbox that waits for the server feels broken) and goes
  // back, with the reason, if the api refuses.
  const choose = async (kind: PushKind, scope: string | null, on: boolean) => {
    setError(null);
    const before = enabled(kind, scope);
    replace({ deviceId: scope, kind, enabled: on });
    try {
      const { setPushPreference } = await request(SetPushPreferenceDocument, { deviceId: scope, kind, enabled: on });
      replace(setPushPreference);
    } catch (e) {
      replace({ deviceId: scope, kind, enabled: before });
      setError(errorMessage(e));
    }
  };

  const note = AVAILABILITY_TEXT[push.availability];
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {note && <p className="notice">{note}</p>}
      {!note &&
        (push.subscribed ? (
          <p>
            This device gets notifications.{' '}
            <button type="button" disabled={push.pending} onClick={() => void push.disable()}>
              Turn off on this device
            </button>
          </p>
        ) : (
          <p>
            <button type="button" disabled={push.pending} onClick={() => void push.enable()}>
              Turn on notifications on this device
            </button>
          </p>
        ))}
      <FormError message={push.error ?? error} />
      {choices && (
        <fieldset className="notify-kinds">
          <legend>Tell me about</legend>
          {LOCK_PUSH_KINDS.map(({ kind, label }) => (
            <label key={kind} className="check">
              <input type="checkbox" checked={enabled(kind, deviceId)} onChange={(e) => void choose(kind, deviceId, e.target.checked)} />
              {label}
            </label>
          ))}
          <label className="check">
            <input type="checkbox" checked={enabled('NEW_SIGN_IN', null)} onChange={(e) => void choose('NEW_SIGN_IN', null, e.target.checked)} />
            Someone signs in to my account (all locks)
          </label>
        </fieldset>
      )}
    </section>
  );
}
