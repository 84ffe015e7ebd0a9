import { useEffect, useMemo, useRef } from 'react';
import type { AuditFieldsFragment } from '../gql/graphql';
import { useNow } from '../hooks/use-now';
import { formatDateTime } from '../lib/audit-labels';
import { groupByDay, whenText } from '../lib/history-days';
import { historyLines } from '../lib/history-lines';
import { FormError } from './form-error';

interface Props {
  entries: readonly AuditFieldsFragment[];
  hasNextPage: boolean;
  loading: boolean;
  error: string | null;
  onLoadMore: () => void;
  showDevice?: boolean;
  label: string;
  /** What an empty list says (nothing yet, or nothing that matches a filter). */
  emptyText?: string;
  /** When given, an error comes with a Retry button that calls it. */
  onRetry?: () => void;
}

/**
 * Audit entries as a history: one line per command with its outcome, in words, under day headings,
 * with relative times (the full date in a tooltip). Infinite scroll (a sentinel) and a "Load more"
 * button for everyone else.
 */
export function AuditList({ entries, hasNextPage, loading, error, onLoadMore, showDevice = true, label, emptyText = 'Nothing recorded yet.', onRetry }: Props) {
  const sentinel = useRef<HTMLDivElement>(null);
  // Relative times below a minute read "just now", so a slow tick is enough.
  const now = useNow(30_000);
  const days = useMemo(() => groupByDay(historyLines(entries), now), [entries, now]);

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
      {entries.length === 0 && !loading && !error && <p className="muted">{emptyText}</p>}
      {days.map((day) => (
        <div key={day.day} className="history-day">
          <h3 className="history-heading">{day.heading}</h3>
          <ol className="audit-list" aria-label={`${label}, ${day.heading}`}>
            {day.lines.map((line) => (
              <li key={line.key} className={line.problem ? 'audit-entry problem' : 'audit-entry'}>
                <span className="audit-text">{line.text}</span>
                {showDevice && line.deviceId && <span className="audit-device">on {line.deviceId}</span>}
                <time dateTime={line.at} title={formatDateTime(line.at)}>
                  {whenText(line.at, now)}
                </time>
              </li>
            ))}
          </ol>
        </div>
      ))}
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
