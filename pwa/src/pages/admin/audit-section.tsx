import { useState, type FormEvent } from 'react';
import { AuditList } from '../../components/audit-list';
import { useAuditLog } from '../../hooks/use-audit-log';
import type { AuditFilterInput } from '../../gql/graphql';

interface Fields {
  deviceId: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Fields = { deviceId: '', actor: '', action: '', from: '', to: '' };

/** `datetime-local` values are local time; the api wants an instant. */
function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function toFilter(fields: Fields): AuditFilterInput {
  const filter: AuditFilterInput = {};
  if (fields.deviceId.trim()) filter.deviceId = fields.deviceId.trim();
  if (fields.actor.trim()) filter.actor = fields.actor.trim();
  if (fields.action.trim()) filter.action = fields.action.trim();
  const from = toInstant(fields.from);
  const to = toInstant(fields.to);
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}

const INPUTS: { key: keyof Fields; label: string; type: string }[] = [
  { key: 'deviceId', label: 'Device', type: 'text' },
  { key: 'actor', label: 'Actor', type: 'text' },
  { key: 'action', label: 'Action', type: 'text' },
  { key: 'from', label: 'From', type: 'datetime-local' },
  { key: 'to', label: 'To', type: 'datetime-local' },
];

export function AuditSection() {
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [filter, setFilter] = useState<AuditFilterInput>({});
  const log = useAuditLog(filter, 25);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter(toFilter(fields));
  };

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="filters" onSubmit={apply}>
        {INPUTS.map((input) => (
          <div key={input.key} className="field">
            <label htmlFor={`audit-${input.key}`}>{input.label}</label>
            <input
              id={`audit-${input.key}`}
              type={input.type}
              step={input.type === 'datetime-local' ? 1 : undefined}
              value={fields[input.key]}
              list={input.key === 'action' ? 'audit-actions' : undefined}
              autoCapitalize="none"
              onChange={(e) => setFields({ ...fields, [input.key]: e.target.value })}
            />
          </div>
        ))}
        <datalist id="audit-actions">
          {['command.lock', 'command.unlock', 'lock.status', 'lock.online', 'lock.offline', 'lock.register', 'lock.reassign', 'user.signIn'].map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
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
      />
    </section>
  );
}
