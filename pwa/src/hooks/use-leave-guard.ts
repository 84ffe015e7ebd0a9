import { useCallback, useEffect, useRef } from 'react';
import { guardLeaving, type LeaveGuard } from '../lib/navigation';

/**
 * While `active`: closing or reloading the tab brings up the browser's own prompt (it allows no
 * text of ours), and the app's own navigation asks `ask` first. The returned function lifts the
 * guard at once, for a leave the user has just agreed to (an effect would lift it a render late).
 */
export function useLeaveGuard(active: boolean, ask: LeaveGuard): () => void {
  const latest = useRef(ask);
  latest.current = ask;
  const lift = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = 'leave'; // browsers before preventDefault() counted: any non-empty text (never shown)
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    const release = guardLeaving((leave) => latest.current(leave));
    const cleanup = () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      release();
    };
    lift.current = cleanup;
    return cleanup;
  }, [active]);

  return useCallback(() => lift.current?.(), []);
}
