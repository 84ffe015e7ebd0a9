import { useState, type FormEvent } from 'react';
import { AuditList } from '../../components/audit-list';
import type { AuditFilterInput } from '../../gql/graphql';
import { useAuditLog } from '../../hooks/use-audit-log';
import { ActionSelect } from './action-select';

interface Fields {
  device: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Fields = { device: '', actor: '', action: '', from: '', to: '' };

/** `datetime-local` values are local time; the api wants an instant. */
function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function toFilter(fields: Fields): AuditFilterInput {
  const filter: AuditFilterInput = {};
  // By name or device id, without regard to case (the api matches both).
  if (fields.device.trim()) filter.device = fields.device.trim();
  if (fields.actor.trim()) filter.actor = fields.actor.trim();
  if (fields.action) filter.action = fields.action;
  const from = toInstant(fields.from);
  const to = toInstant(fields.to);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

const INPUTS: { key: Exclude<keyof Fields, 'action'>; label: string; type: string }[] = [
  { key: 'device', label: 'Lock name or device ID', type: 'text' },
  { key: 'actor', label: 'User', type: 'text' },
  { key: 'from', label: 'From', type: 'datetime-local' },
  { key: 'to', label: 'To', type: 'datetime-local' },
];

export function AuditSection() {
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [filter, setFilter] = useState<AuditFilterInput>({});
  const log = useAuditLog(filter, 25);
  const filtered = Object.keys(filter).length > 0;

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter(toFilter(fields));
  };

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="filters" onSubmit={apply}>
        <ActionSelect id="audit-action" value={fields.action} onChange={(action) => setFields({ ...fields, action })} />
        {INPUTS.map((input) => (
          <div key={input.key} className="field">
            <label htmlFor={`audit-${input.key}`}>{input.label}</label>
            <input
              id={`audit-${input.key}`}
              type={input.type}
              step={input.type === 'datetime-local' ? 1 : undefined}
              value={fields[input.key]}
              autoCapitalize="none"
              onChange={(e) => setFields({ ...fields, [input.key]: e.target.value })}
            />
          </div>
        ))}
        <button type="submit" className="primary">
          Apply filters
        </button>
      </form>
      <AuditList
        label="Audit log entries"
        entries={log.entries}
        hasNextPage={log.hasNextPage}
        loading={log.loading}
        error={log.error}
        onLoadMore={log.loadMore}
        emptyText={filtered ? 'No entries match these filters' : 'Nothing recorded yet.'}
      />
    </section>
  );
}
