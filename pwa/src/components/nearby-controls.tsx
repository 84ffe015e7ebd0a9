import { useState } from 'react';
import { useOfflineKey } from '../hooks/use-offline-key';
import { allows, type BleOp } from '../lib/ble-messages';
import { operateNearby, webBluetooth, type BluetoothLike } from '../lib/ble-nearby';
import { outcomeText, type NearbyOutcome } from '../lib/ble-verdicts';
import { lockTimeZone } from '../lib/lock-access';
import type { Lock } from '../lib/locks-store';

type View = { phase: 'idle' } | { phase: 'working'; op: BleOp } | { phase: 'done'; outcome: NearbyOutcome };

/**
 * "Open nearby" / "Lock nearby": the lock over Bluetooth with the offline key held on this device,
 * network or not. Only where the browser has Web Bluetooth (not iOS, not Firefox) and a key is held;
 * each button only when the key allows its action.
 */
export function NearbyControls({ lock }: { lock: Lock }) {
  const bluetooth = webBluetooth();
  // Without Web Bluetooth no key is fetched either: a secret this browser cannot use stays on the server.
  return bluetooth ? <NearbyButtons lock={lock} bluetooth={bluetooth} /> : null;
}

function NearbyButtons({ lock, bluetooth }: { lock: Lock; bluetooth: BluetoothLike }) {
  const key = useOfflineKey(lock.deviceId);
  const [view, setView] = useState<View>({ phase: 'idle' });
  if (!key) return null;

  const run = async (op: BleOp) => {
    setView({ phase: 'working', op });
    setView({ phase: 'done', outcome: await operateNearby(bluetooth, key, op) });
  };
  const working = view.phase === 'working';
  const status =
    view.phase === 'working'
      ? view.op === 'UNLOCK'
        ? 'Opening over Bluetooth…'
        : 'Locking over Bluetooth…'
      : view.phase === 'done'
        ? outcomeText(view.outcome, { key, timeZone: lockTimeZone(lock), now: Date.now(), lockName: lock.name })
        : '';
  const failed = view.phase === 'done' && view.outcome.kind !== 'ok' && view.outcome.kind !== 'cancelled';

  return (
    <div className="nearby-controls" role="group" aria-label="Nearby, over Bluetooth">
      <div className="command-buttons">
        {allows(key, 'UNLOCK') && (
          <button type="button" aria-label={`Open ${lock.name} nearby`} aria-disabled={working || undefined} onClick={() => void (working || run('UNLOCK'))}>
            Open nearby
          </button>
        )}
        {allows(key, 'LOCK') && (
          <button type="button" aria-label={`Lock ${lock.name} nearby`} aria-disabled={working || undefined} onClick={() => void (working || run('LOCK'))}>
            Lock nearby
          </button>
        )}
      </div>
      <p role="status" className={`command-status${failed ? ' command-error' : ''}`}>
        {status}
      </p>
    </div>
  );
}
