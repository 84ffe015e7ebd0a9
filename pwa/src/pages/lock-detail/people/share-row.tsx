import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { FormError } from '../../../components/form-error';
import { useServices } from '../../../hooks/use-services';
import type { Share } from '../../../hooks/use-lock-shares';
import { errorMessage } from '../../../lib/graphql-http';
import { accessDraftOf } from '../../../lib/share-form';
import { ruleSummary } from '../../../lib/rule-summary';
import { roleLabel, usableText } from '../../../lib/share-rule';
import { RevokeShareDocument, UpdateShareDocument } from '../../../operations/shares';
import { ShareForm } from './share-form';

interface Props {
  share: Share;
  lockName: string;
  timeZone: string;
  now: number;
  /** The owner or an admin: may change and revoke. */
  manage: boolean;
  onChanged: () => void;
}

/** One person the lock is shared with: role, rule, whether they may use it now; edit and revoke. */
export function ShareRow({ share, lockName, timeZone, now, manage, onChanged }: Props) {
  const { request } = useServices();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setPending(true);
    setError(null);
    try {
      await action();
      setEditing(false);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <li aria-label={share.guest}>
      <strong>{share.guest}</strong> · {roleLabel(share.role)}
      {share.role === 'GUEST' && (
        <>
          <br />
          <span className="muted">{ruleSummary(share, timeZone, now)}</span>
        </>
      )}
      <br />
      <span className={share.allowedNow ? '' : 'shared-closed'}>{share.allowedNow ? `May use it now (${usableText(share, timeZone, now).toLowerCase()})` : `Not now: ${usableText(share, timeZone, now).toLowerCase()}`}</span>
      {manage && !editing && (
        <div className="inline-row">
          <button type="button" aria-label={`Change ${share.guest}’s access`} onClick={() => setEditing(true)}>
            Change
          </button>
          <button type="button" className="danger" aria-label={`Stop sharing with ${share.guest}`} disabled={pending} onClick={() => setConfirming(true)}>
            Stop sharing
          </button>
        </div>
      )}
      {editing && (
        <ShareForm
          mode="edit"
          timeZone={timeZone}
          initialRole={share.role}
          initialAccess={accessDraftOf(share, timeZone)}
          submitLabel="Save"
          pending={pending}
          onCancel={() => setEditing(false)}
          onSubmit={({ role, access }) => void run(() => request(UpdateShareDocument, { shareId: share.id, role, access }))}
        />
      )}
      <FormError message={error} />
      <ConfirmDialog
        open={confirming}
        title={`Stop sharing ${lockName} with ${share.guest}?`}
        confirmLabel="Stop sharing"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void run(() => request(RevokeShareDocument, { shareId: share.id }));
        }}
      >
        <p>{share.guest} can no longer lock or unlock it, from now on; their app stops showing it.</p>
      </ConfirmDialog>
    </li>
  );
}
