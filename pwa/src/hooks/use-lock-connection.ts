import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../lib/graphql-http';
import type { LockConnection } from '../lib/provisioning';
import { LockConnectionDocument } from '../operations/locks';
import { useServices } from './use-services';

export interface LockConnectionState {
  connection: LockConnection | null;
  error: string | null;
  retry: () => void;
}

/** What a lock needs to reach the broker, asked once per credentials screen (it can change with the server's settings). */
export function useLockConnection(): LockConnectionState {
  const { request } = useServices();
  const [connection, setConnection] = useState<LockConnection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setError(null);
    request(LockConnectionDocument, {}).then(
      (data) => current && setConnection(data.lockConnection),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [request, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { connection, error, retry };
}
