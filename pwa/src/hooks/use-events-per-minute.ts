/**
 * Audit events per minute over the last 30 minutes: backfilled from `auditLog` once, then counted
 * live from `auditAppended`.
 */
import { useEffect, useState } from 'react';
import type { AuditLogQuery } from '../gql/graphql';
import { CHART_MINUTES, minuteBuckets, pruneTimes } from '../lib/event-buckets';
import { AuditAppendedDocument, AuditLogDocument } from '../operations/audit';
import { useNow } from './use-now';
import { useServices } from './use-services';

const BACKFILL_PAGES = 5;

export function useEventsPerMinute(): { buckets: number[]; loading: boolean } {
  const { request, live } = useServices();
  const [times, setTimes] = useState<number[]>([]);
  const [loading, setLoading] = useState(true);
  const now = useNow(10_000);

  useEffect(() => {
    let cancelled = false;
    const seen = new Set<string>();
    const add = (id: string, at: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const time = Date.parse(at);
      if (!Number.isNaN(time)) setTimes((known) => pruneTimes([...known, time], Date.now()));
    };
    const unsubscribe = live.subscribe(AuditAppendedDocument, {}, { next: (data) => add(data.auditAppended.id, data.auditAppended.at) });

    const backfill = async () => {
      const from = new Date(Date.now() - CHART_MINUTES * 60_000).toISOString();
      let after: string | null = null;
      for (let page = 0; page < BACKFILL_PAGES && !cancelled; page++) {
        const data: AuditLogQuery = await request(AuditLogDocument, { filter: { from }, first: 100, after });
        for (const edge of data.auditLog.edges) add(edge.node.id, edge.node.at);
        if (!data.auditLog.pageInfo.hasNextPage) break;
        after = data.auditLog.pageInfo.endCursor ?? null;
      }
    };
    backfill()
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [live, request]);

  return { buckets: minuteBuckets(times, now), loading };
}
