import { useState } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { FormError } from '../../../components/form-error';
import { useServices } from '../../../hooks/use-services';
import type { Invitation } from '../../../hooks/use-lock-shares';
import { errorMessage } from '../../../lib/graphql-http';
import { ruleSummary } from '../../../lib/rule-summary';
import { roleLabel } from '../../../lib/share-rule';
import { formatLockTime } from '../../../lib/zoned-time';
import { CancelShareInvitationDocument, CreateShareInvitationDocument } from '../../../operations/shares';
import { ShareForm } from './share-form';

interface Props {
  deviceId: string;
  timeZone: string;
  now: number;
  invitations: readonly Invitation[];
  onChanged: () => void;
}

/**
 * Invitation links: for someone whose username the owner does not know. The link is shown once
 * (the api keeps only a hash of its token); pending ones are listed and can be cancelled.
 */
export function Invitations({ deviceId, timeZone, now, invitations, onChanged }: Props) {
  const { request } = useServices();
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await action();
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <div>
      <h3>Invitation links</h3>
      {link && (
        <div className="notice" role="status">
          <p>
            Send this link to the person you invite; it is shown only now and works once:
            <br />
            <code className="invite-link">{link}</code>
          </p>
          <CopyButton label="Copy link" value={link} />
          <button type="button" onClick={() => setLink(null)}>
            Done
          </button>
        </div>
      )}
      {invitations.length > 0 && (
        <ul className="share-list" aria-label="Pending invitations">
          {invitations.map((invitation) => (
            <li key={invitation.id}>
              {roleLabel(invitation.role)}
              {invitation.role === 'GUEST' && <> · {ruleSummary(invitation, timeZone, now)}</>} · link valid until {formatLockTime(Date.parse(invitation.expiresAt), timeZone, now)}{' '}
              <button type="button" disabled={pending} onClick={() => void run(async () => void (await request(CancelShareInvitationDocument, { invitationId: invitation.id })))}>
                Cancel invitation
              </button>
            </li>
          ))}
        </ul>
      )}
      {!open && (
        <button type="button" onClick={() => setOpen(true)}>
          Create an invitation link
        </button>
      )}
      {open && (
        <ShareForm
          mode="invite"
          timeZone={timeZone}
          submitLabel="Create link"
          pending={pending}
          onCancel={() => setOpen(false)}
          onSubmit={({ role, access, expiresInHours }) =>
            void run(async () => {
              const data = await request(CreateShareInvitationDocument, { deviceId, role, access, expiresInHours });
              setLink(data.createShareInvitation.link);
              setOpen(false);
            })
          }
        />
      )}
      <FormError message={error} />
    </div>
  );
}
