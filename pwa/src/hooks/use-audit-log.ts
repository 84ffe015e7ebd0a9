/** Pages of `auditLog` for a filter, newest first, plus live entries prepended by the caller. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFieldsFragment, AuditFilterInput } from '../gql/graphql';
import { errorMessage } from '../lib/graphql-http';
import { AuditLogDocument } from '../operations/audit';
import { useServices } from './use-services';

export interface AuditLogState {
  entries: readonly AuditFieldsFragment[];
  hasNextPage: boolean;
  loading: boolean;
  error: string | null;
}

export function useAuditLog(filter: AuditFilterInput, pageSize = 20) {
  const { request } = useServices();
  const [state, setState] = useState<AuditLogState>({ entries: [], hasNextPage: false, loading: true, error: null });
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(false);
  const filterKey = JSON.stringify(filter);

  const fetchPage = useCallback(
    async (reset: boolean) => {
      if (inFlight.current && !reset) return;
      const mine = reset ? ++generation.current : generation.current;
      inFlight.current = true;
      setState((s) => ({ ...s, loading: true, error: null, ...(reset ? { entries: [], hasNextPage: false } : {}) }));
      try {
        const data = await request(AuditLogDocument, {
          filter: JSON.parse(filterKey) as AuditFilterInput,
          first: pageSize,
          after: reset ? null : cursor.current,
        });
        if (mine !== generation.current) return;
        const { edges, pageInfo } = data.auditLog;
        cursor.current = pageInfo.endCursor ?? null;
        setState((s) => {
          const known = new Set(s.entries.map((entry) => entry.id));
          const fresh = edges.map((edge) => edge.node).filter((entry) => !known.has(entry.id));
          return { entries: [...s.entries, ...fresh], hasNextPage: pageInfo.hasNextPage, loading: false, error: null };
        });
      } catch (error) {
        if (mine === generation.current) setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
      } finally {
        if (mine === generation.current) inFlight.current = false;
      }
    },
    [filterKey, pageSize, request],
  );

  useEffect(() => {
    void fetchPage(true);
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    void fetchPage(false);
  }, [fetchPage]);

  const prepend = useCallback((entry: AuditFieldsFragment) => {
    setState((s) => (s.entries.some((known) => known.id === entry.id) ? s : { ...s, entries: [entry, ...s.entries] }));
  }, []);

  const reload = useCallback(() => {
    void fetchPage(true);
  }, [fetchPage]);

  return { ...state, loadMore, prepend, reload };
}
