import { useEffect, useRef } from 'react';
import type { AuditFieldsFragment } from '../gql/graphql';
import { actionLabel, formatDateTime } from '../lib/audit-labels';
import { FormError } from './form-error';

interface Props {
  entries: readonly AuditFieldsFragment[];
  hasNextPage: boolean;
  loading: boolean;
  error: string | null;
  onLoadMore: () => void;
  showDevice?: boolean;
  label: string;
  /** When given, an error comes with a Retry button that calls it. */
  onRetry?: () => void;
}

/** Audit entries with infinite scroll (a sentinel) and a "Load more" button for everyone else. */
export function AuditList({ entries, hasNextPage, loading, error, onLoadMore, showDevice = true, label, onRetry }: Props) {
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((records) => {
      if (records.some((record) => record.isIntersecting)) onLoadMore();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, entries.length, onLoadMore]);

  return (
    <div className="audit">
      {entries.length === 0 && !loading && !error && <p className="muted">Nothing recorded yet.</p>}
      <ol className="audit-list" aria-label={label}>
        {entries.map((entry) => (
          <li key={entry.id} className="audit-entry">
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            <span className="audit-action" title={entry.action}>
              {actionLabel(entry.action)}
            </span>
            <span className="audit-result">{entry.result}</span>
            <span className="audit-actor">by {entry.actor ?? 'system'}</span>
            {showDevice && entry.deviceId && <span className="audit-device">on {entry.deviceId}</span>}
            {entry.detail && <span className="audit-detail">{entry.detail}</span>}
          </li>
        ))}
      </ol>
      <FormError message={error} />
      {error && onRetry && !loading && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
      {loading && <p className="muted" aria-live="polite">Loading…</p>}
      {hasNextPage && (
        <>
          <div ref={sentinel} className="sentinel" aria-hidden="true" />
          <button type="button" onClick={onLoadMore} disabled={loading}>
            Load more
          </button>
        </>
      )}
    </div>
  );
}
