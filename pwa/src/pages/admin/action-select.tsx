import { actionGroups } from '../../lib/audit-labels';

/** Every audited action, in words and grouped, with "Any action" first. */
export function ActionSelect({ id, value, onChange }: { id: string; value: string; onChange: (action: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Action</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any action</option>
        {actionGroups().map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.actions.map((action) => (
              <option key={action.value} value={action.value}>
                {action.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
