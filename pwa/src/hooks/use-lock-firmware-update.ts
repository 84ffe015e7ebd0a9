/** A lock's latest firmware update; asked again when the lock changes, and every 10 s while one is under way. */
import { useEffect, useState } from 'react';
import type { LockFirmwareUpdateQuery } from '../gql/graphql';
import { isUpdating } from '../lib/firmware-display';
import { LockFirmwareUpdateDocument } from '../operations/firmware';
import { useServices } from './use-services';

export type LockFirmwareUpdateData = LockFirmwareUpdateQuery['lock']['firmwareUpdate'];

const POLL_MS = 10_000;

export function useLockFirmwareUpdate(deviceId: string, changeKey: string): LockFirmwareUpdateData {
  const { request } = useServices();
  const [update, setUpdate] = useState<LockFirmwareUpdateData>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    // A failed read keeps what was shown: the firmware line is a detail of the page, not its subject.
    request(LockFirmwareUpdateDocument, { deviceId })
      .then((result) => {
        if (current) setUpdate(result.lock.firmwareUpdate);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [request, deviceId, changeKey, tick]);

  const updating = isUpdating(update);
  useEffect(() => {
    if (!updating) return;
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [updating]);

  return update;
}
