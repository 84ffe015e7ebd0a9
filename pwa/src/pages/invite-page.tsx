import { useEffect, useState } from 'react';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { useLocksStore, useServices } from '../hooks/use-services';
import { errorMessage } from '../lib/graphql-http';
import { navigate } from '../lib/navigation';
import { lockPath } from '../lib/routes';
import { AcceptShareInvitationDocument } from '../operations/shares';

function tokenFromLink(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, '')).trim();
  } catch {
    return '';
  }
}

/**
 * `/invite#<token>`: a lock's owner invited the viewer. Accepting is a press, not automatic (the
 * link works once, and the person should know what they are agreeing to); then the lock opens.
 */
export function InvitePage() {
  const { request } = useServices();
  const store = useLocksStore();
  const [token] = useState(() => tokenFromLink(window.location.hash));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Out of the address bar (and the history) once read: the link is a key to a door.
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);

  const accept = async () => {
    setPending(true);
    setError(null);
    try {
      const share = (await request(AcceptShareInvitationDocument, { token })).acceptShareInvitation;
      store.upsert(share.lock);
      navigate(lockPath(share.deviceId), { replace: true });
    } catch (e) {
      setError(errorMessage(e));
      setPending(false);
    }
  };

  return (
    <>
      <PageHeading title="Invitation">An invitation to use a lock</PageHeading>
      {token ? (
        <>
          <p>Someone shared a lock with you. Accept to see it among your locks and use it when they allow.</p>
          <button type="button" className="primary" disabled={pending} onClick={() => void accept()}>
            Accept the invitation
          </button>
        </>
      ) : (
        <p>This link is incomplete: open the whole link you were sent.</p>
      )}
      <FormError message={error} />
      <p>
        <Link href="/">Back to my locks</Link>
      </p>
    </>
  );
}
