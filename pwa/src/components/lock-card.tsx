import { useId } from 'react';
import type { Lock } from '../lib/locks-store';
import { lockPath } from '../lib/routes';
import { CommandControls } from './command-controls';
import { Link } from './link';
import { LockFacts } from './lock-facts';

export function LockCard({ lock }: { lock: Lock }) {
  const headingId = useId();
  return (
    <article className="card lock-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link href={lockPath(lock.deviceId)}>{lock.name}</Link>
      </h2>
      <LockFacts lock={lock} />
      <CommandControls lock={lock} />
    </article>
  );
}
