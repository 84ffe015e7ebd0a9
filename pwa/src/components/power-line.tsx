import { lowBatteryWarning, powerLineText, type PowerFacts } from '../lib/power-line';

/** "On battery · checks in every 60 s", and the low-battery warning when there is one. */
export function PowerLine({ lock }: { lock: PowerFacts }) {
  const warning = lowBatteryWarning(lock);
  return (
    <>
      <p className="muted power-line">{powerLineText(lock)}</p>
      {warning && (
        <p className="power-warning" role="status">
          {warning}
        </p>
      )}
    </>
  );
}
