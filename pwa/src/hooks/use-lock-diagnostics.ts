/** A lock's diagnostics for a range, fetched again when the range or the lock's visible state changes. */
import { useEffect, useState } from 'react';
import type { DiagnosticsRange, LockDiagnosticsQuery } from '../gql/graphql';
import { errorMessage } from '../lib/graphql-http';
import { LockDiagnosticsDocument } from '../operations/diagnostics';
import { useServices } from './use-services';

export type LockDiagnosticsData = LockDiagnosticsQuery['lock']['diagnostics'];

export function useLockDiagnostics(deviceId: string, range: DiagnosticsRange, changeKey: string) {
  const { request } = useServices();
  const [data, setData] = useState<LockDiagnosticsData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    request(LockDiagnosticsDocument, { deviceId, range })
      .then((result) => {
        if (!current) return;
        setData(result.lock.diagnostics);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (current) setError(errorMessage(failure));
      });
    return () => {
      current = false;
    };
  }, [request, deviceId, range, changeKey]);

  // Only what belongs to the range asked for: a toggle does not show the other range's history meanwhile.
  return { data: data?.range === range ? data : null, error };
}
