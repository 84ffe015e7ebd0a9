import { useCallback, useEffect, useState } from 'react';
import type { InvitationFieldsFragment, ShareFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../lib/graphql-http';
import { LockSharesDocument, ShareInvitationsDocument } from '../operations/shares';
import { useServices } from './use-services';

export type Share = ShareFieldsFragment;
export type Invitation = InvitationFieldsFragment;

export interface LockSharesView {
  shares: readonly Share[];
  /** Pending invitations; asked for only when the viewer manages the lock. */
  invitations: readonly Invitation[];
  loading: boolean;
  error: string | null;
  reload: () => void;
}

/** A lock's shares (and, for its owner, pending invitations), asked again after each change made here. */
export function useLockShares(deviceId: string, withInvitations: boolean): LockSharesView {
  const { request } = useServices();
  const [shares, setShares] = useState<readonly Share[]>([]);
  const [invitations, setInvitations] = useState<readonly Invitation[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    const asked = Promise.all([
      request(LockSharesDocument, { deviceId }),
      withInvitations ? request(ShareInvitationsDocument, { deviceId }) : Promise.resolve({ shareInvitations: [] }),
    ]);
    asked.then(
      ([sharesData, invitationsData]) => {
        if (!current) return;
        setShares(sharesData.lockShares);
        setInvitations(invitationsData.shareInvitations);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [request, deviceId, withInvitations, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { shares, invitations, loading, error, reload };
}
