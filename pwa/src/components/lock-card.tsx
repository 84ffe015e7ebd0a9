import { useId } from 'react';
import { useSituation } from '../hooks/use-situation';
import type { Lock } from '../lib/locks-store';
import { lockPath } from '../lib/routes';
import { CommandControls } from './command-controls';
import { Link } from './link';
import { LockFacts } from './lock-facts';
import { SharedLockNote } from './shared-lock-note';

export function LockCard({ lock }: { lock: Lock }) {
  const headingId = useId();
  const situation = useSituation();
  return (
    <article className="card lock-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link href={lockPath(lock.deviceId)}>{lock.name}</Link>
      </h2>
      {lock.myShare && <SharedLockNote lock={lock} share={lock.myShare} />}
      <LockFacts lock={lock} situation={situation} />
      <CommandControls lock={lock} />
    </article>
  );
}
