import { useId, useState, type FormEvent } from 'react';
import { checkAccess, emptyAccess, usernameProblem, type AccessDraft, type AccessInputValue, type ShareRoleName } from '../../../lib/share-form';
import { AccessFields } from './access-fields';

export interface ShareFormValues {
  username: string;
  role: ShareRoleName;
  /** null: any time (and always for a co-owner). */
  access: AccessInputValue | null;
  expiresInHours: number;
}

interface Props {
  /** 'share': by username; 'edit': an existing share (no username); 'invite': a link (with its validity). */
  mode: 'share' | 'edit' | 'invite';
  timeZone: string;
  initialRole?: ShareRoleName;
  initialAccess?: AccessDraft;
  submitLabel: string;
  pending: boolean;
  onSubmit: (values: ShareFormValues) => void;
  onCancel: () => void;
}

/** Who (for a share by username), which role and, for a guest, when; checked before anything is sent. */
export function ShareForm({ mode, timeZone, initialRole = 'GUEST', initialAccess, submitLabel, pending, onSubmit, onCancel }: Props) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ShareRoleName>(initialRole);
  const [access, setAccess] = useState<AccessDraft>(initialAccess ?? emptyAccess());
  const [expiresInHours, setExpiresInHours] = useState('72');
  const [problems, setProblems] = useState<string[]>([]);
  const usernameId = useId();
  const roleId = useId();
  const expiryId = useId();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: string[] = [];
    const missingName = mode === 'share' ? usernameProblem(username) : null;
    if (missingName) found.push(missingName);
    const hours = Number(expiresInHours);
    if (mode === 'invite' && !(Number.isInteger(hours) && hours >= 1 && hours <= 720)) found.push('The link must be valid for 1 to 720 hours.');
    const checked = checkAccess(role, access, timeZone);
    if (!checked.ok) found.push(...checked.problems);
    setProblems(found);
    if (found.length === 0 && checked.ok) onSubmit({ username: username.trim(), role, access: checked.access, expiresInHours: hours });
  };

  return (
    <form className="form" noValidate onSubmit={submit}>
      {mode === 'share' && (
        <>
          <label htmlFor={usernameId}>Their username</label>
          <input id={usernameId} value={username} autoComplete="off" autoCapitalize="none" onChange={(e) => setUsername(e.target.value)} />
        </>
      )}
      <label htmlFor={roleId}>Role</label>
      <select id={roleId} value={role} onChange={(e) => setRole(e.target.value === 'CO_OWNER' ? 'CO_OWNER' : 'GUEST')}>
        <option value="GUEST">Guest: locks and unlocks when you allow it</option>
        <option value="CO_OWNER">Co-owner: any time, and may change the settings</option>
      </select>
      {role === 'GUEST' && <AccessFields draft={access} onChange={setAccess} timeZone={timeZone} />}
      {mode === 'invite' && (
        <>
          <label htmlFor={expiryId}>The link works for (hours)</label>
          <input id={expiryId} type="number" min={1} max={720} value={expiresInHours} onChange={(e) => setExpiresInHours(e.target.value)} />
        </>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="form-error">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="inline-row">
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
