import { useEffect, useMemo } from 'react';
import { AuditList } from '../../components/audit-list';
import { useAuditLog } from '../../hooks/use-audit-log';
import { useServices } from '../../hooks/use-services';
import { AuditAppendedDocument } from '../../operations/audit';

/**
 * The lock's audit trail, newest first, live. Reloaded when entries may have been missed: the
 * socket came back (or the api said `resync`), or the browser came back online after a failed load.
 */
export function Activity({ deviceId }: { deviceId: string }) {
  const { live, connectivity } = useServices();
  const filter = useMemo(() => ({ deviceId }), [deviceId]);
  const log = useAuditLog(filter, 20);
  const { prepend, reload } = log;
  const failed = log.error !== null;

  useEffect(() => live.onMissedEvents(reload), [live, reload]);

  useEffect(() => {
    if (!failed) return;
    let wasOnline = connectivity.online();
    return connectivity.subscribe(() => {
      const online = connectivity.online();
      if (online && !wasOnline) reload();
      wasOnline = online;
    });
  }, [connectivity, failed, reload]);

  useEffect(
    () =>
      live.subscribe(AuditAppendedDocument, {}, {
        next: (data) => {
          if (data.auditAppended.deviceId === deviceId) prepend(data.auditAppended);
        },
      }),
    [deviceId, live, prepend],
  );

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      <AuditList
        label="Activity"
        entries={log.entries}
        hasNextPage={log.hasNextPage}
        loading={log.loading}
        error={log.error}
        onLoadMore={log.loadMore}
        showDevice={false}
        onRetry={reload}
      />
    </section>
  );
}
