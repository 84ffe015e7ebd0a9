import { useEffect, useId, useRef, useState } from 'react';
import { useCommand, type CommandView } from '../hooks/use-command';
import { useOnline } from '../hooks/use-online';
import { commandText, progressText } from '../lib/command-display';
import { resultAfterChange, snapshotOf, type LockSnapshot } from '../lib/command-freshness';
import { lockTimeZone } from '../lib/lock-access';
import type { Lock } from '../lib/locks-store';
import { accessWindowClosedText } from '../lib/share-rule';
import { ConfirmDialog } from './confirm-dialog';

function statusText(view: CommandView, lock: Lock, now: number): string {
  switch (view.phase) {
    case 'idle':
      return '';
    case 'sending':
      return progressText(view.action);
    case 'sent':
    case 'done':
      return commandText(view.command.action, view.command.state, view.command.reason);
    case 'error':
      return accessWindowClosedText(view.cause, lockTimeZone(lock), now) ?? view.message;
  }
}

/**
 * True once the lock reported a state newer than the shown result that the result does not account
 * for: the result then gives way (see command-freshness.ts).
 */
function useSuperseded(view: CommandView, lock: Lock): boolean {
  const result = view.phase === 'done' ? view.command : null;
  const basis = useRef<{ id: string; lock: LockSnapshot } | null>(null);
  const [supersededId, setSupersededId] = useState<string | null>(null);
  const { status, state, online } = lock;

  useEffect(() => {
    const now = snapshotOf({ status, state, online });
    if (!result) {
      basis.current = null;
      return;
    }
    if (basis.current?.id !== result.id) {
      basis.current = { id: result.id, lock: now };
      return;
    }
    const verdict = resultAfterChange(result, basis.current.lock, now);
    if (verdict === 'confirm') basis.current.lock = now;
    else if (verdict === 'superseded') setSupersededId(result.id);
  }, [result, status, state, online]);

  return result !== null && supersededId === result.id;
}

/** Lock and Unlock (with confirmation), their progress and their outcome, until newer lock state replaces it. */
export function CommandControls({ lock }: { lock: Lock }) {
  const online = useOnline();
  const { view, send } = useCommand(lock.deviceId);
  const superseded = useSuperseded(view, lock);
  const [confirming, setConfirming] = useState(false);
  const hintId = useId();
  // Only while the request itself is on its way: once SENT, a newer press supersedes it (so a lost ack
  // never keeps the owner from locking until the timeout).
  const busy = view.phase === 'sending';
  const busyWith = view.phase === 'sending' || view.phase === 'sent' ? view.action : null;
  const unavailable = !online ? 'Commands need a connection' : lock.state !== 'AVAILABLE' ? 'Offline — commands unavailable' : null;

  return (
    <div className="command-controls">
      <div className="command-buttons">
        <button
          type="button"
          className="primary"
          aria-label={`Lock ${lock.name}`}
          disabled={unavailable !== null}
          aria-disabled={busy || undefined}
          aria-busy={busyWith === 'LOCK' || undefined}
          aria-describedby={unavailable ? hintId : undefined}
          onClick={() => {
            if (!busy) void send('LOCK');
          }}
        >
          {busyWith === 'LOCK' ? progressText('LOCK') : 'Lock'}
        </button>
        <button
          type="button"
          aria-label={`Unlock ${lock.name}`}
          disabled={unavailable !== null}
          aria-disabled={busy || undefined}
          aria-busy={busyWith === 'UNLOCK' || undefined}
          aria-describedby={unavailable ? hintId : undefined}
          onClick={() => {
            if (!busy) setConfirming(true);
          }}
        >
          {busyWith === 'UNLOCK' ? progressText('UNLOCK') : 'Unlock'}
        </button>
      </div>
      {unavailable && (
        <p id={hintId} className="hint">
          {unavailable}
        </p>
      )}
      <p role="status" className={`command-status command-${superseded ? 'superseded' : view.phase}`}>
        {superseded ? '' : statusText(view, lock, Date.now())}
      </p>
      <ConfirmDialog
        open={confirming}
        title={`Unlock ${lock.name}?`}
        confirmLabel="Unlock"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void send('UNLOCK');
        }}
      >
        <p>The lock opens as soon as it confirms.</p>
      </ConfirmDialog>
    </div>
  );
}
