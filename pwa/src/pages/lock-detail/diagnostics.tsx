import { useState } from 'react';
import { DiagnosticsChart } from '../../components/diagnostics-chart';
import { FormError } from '../../components/form-error';
import type { DiagnosticsRange } from '../../gql/graphql';
import { useLockDiagnostics } from '../../hooks/use-lock-diagnostics';
import { useLockFirmwareUpdate } from '../../hooks/use-lock-firmware-update';
import { firmwareText } from '../../lib/firmware-display';
import { signalText, uptimeText, withPresent } from '../../lib/diagnostics';
import type { Lock } from '../../lib/locks-store';

const RANGES: { range: DiagnosticsRange; label: string }[] = [
  { range: 'DAY', label: '24 h' },
  { range: 'WEEK', label: '7 d' },
];

/** Battery, signal, uptime and firmware now, and their history over 24 hours or 7 days. */
export function Diagnostics({ lock }: { lock: Lock }) {
  const [range, setRange] = useState<DiagnosticsRange>('DAY');
  // Fetched again when what the lock page shows changes (online, battery band, firmware…).
  const changeKey = `${lock.state}|${lock.battery ?? ''}|${lock.firmware ?? ''}|${lock.updatedAt}`;
  const { data, error } = useLockDiagnostics(lock.deviceId, range, changeKey);
  const battery = data?.battery ?? lock.battery;
  const rssi = data?.rssi ?? lock.rssi;
  const firmware = data?.firmware ?? lock.firmware;
  const update = useLockFirmwareUpdate(lock.deviceId, changeKey);
  return (
    <section className="card" aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">Diagnostics</h2>
      <dl className="diagnostics-facts">
        <div>
          <dt>Battery</dt>
          <dd>{battery === null || battery === undefined ? 'Unknown' : `${battery} %`}</dd>
        </div>
        <div>
          <dt>Signal</dt>
          <dd>{signalText(rssi)}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>{lock.state === 'AVAILABLE' ? uptimeText(data?.uptime) : 'Offline'}</dd>
        </div>
        <div>
          <dt>Firmware</dt>
          <dd>{firmwareText(firmware, update)}</dd>
        </div>
      </dl>
      <div className="range-toggle" role="group" aria-label="History range">
        {RANGES.map((option) => (
          <button key={option.range} type="button" aria-pressed={range === option.range} onClick={() => setRange(option.range)}>
            {option.label}
          </button>
        ))}
      </div>
      <FormError message={error} />
      {data ? (
        <DiagnosticsChart
          points={withPresent(
            data.points.map((p) => ({ at: Date.parse(p.at), online: p.online, battery: p.battery ?? null, rssi: p.rssi ?? null })),
            { at: Date.parse(data.to), online: lock.state === 'AVAILABLE', battery: data.battery ?? null, rssi: data.rssi ?? null },
          )}
          range={range}
          from={Date.parse(data.from)}
          to={Date.parse(data.to)}
        />
      ) : (
        !error && <p className="muted">Loading history…</p>
      )}
    </section>
  );
}
