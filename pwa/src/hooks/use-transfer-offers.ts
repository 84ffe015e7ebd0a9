/** The viewer's open transfer offers, made and received, kept fresh by `lockTransferChanged`. */
import { useCallback, useEffect, useState } from 'react';
import type { TransferOfferFieldsFragment } from '../gql/graphql';
import { errorMessage } from '../lib/graphql-http';
import { LockTransferChangedDocument, LockTransferOffersDocument } from '../operations/lock-transfers';
import { useServices } from './use-services';

export interface TransferOffers {
  made: TransferOfferFieldsFragment[];
  received: TransferOfferFieldsFragment[];
  error: string | null;
  reload: () => void;
}

export function useTransferOffers(): TransferOffers {
  const { request, live } = useServices();
  const [offers, setOffers] = useState<{ made: TransferOfferFieldsFragment[]; received: TransferOfferFieldsFragment[] }>({ made: [], received: [] });
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    request(LockTransferOffersDocument, {}).then(
      (data) => {
        setOffers(data.lockTransferOffers);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [request]);

  useEffect(() => {
    reload();
    // Any change to an offer of ours (made, cancelled, declined, accepted): read the list again.
    const stop = live.subscribe(LockTransferChangedDocument, {}, { next: () => reload() });
    const stopMissed = live.onMissedEvents(reload);
    return () => {
      stop();
      stopMissed();
    };
  }, [live, reload]);

  return { ...offers, error, reload };
}
