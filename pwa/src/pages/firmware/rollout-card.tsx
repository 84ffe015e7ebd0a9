import { useState } from 'react';
import { FormError } from '../../components/form-error';
import { Link } from '../../components/link';
import type { FirmwareRolloutFieldsFragment } from '../../gql/graphql';
import { useServices } from '../../hooks/use-services';
import { updateReasonText } from '../../lib/firmware-display';
import { errorMessage } from '../../lib/graphql-http';
import { lockPath } from '../../lib/routes';
import { CancelFirmwareRolloutDocument, PauseFirmwareRolloutDocument, ResumeFirmwareRolloutDocument } from '../../operations/firmware';

export type Rollout = FirmwareRolloutFieldsFragment;

const FAILED = new Set(['FAILED', 'ROLLED_BACK', 'TIMED_OUT']);

/** One rollout: its stages with counts, its failures, and pause / resume / cancel. */
export function RolloutCard({ rollout, onChanged }: { rollout: Rollout; onChanged: (rollout: Rollout) => void }) {
  const { request } = useServices();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const titleId = `rollout-${rollout.id}`;
  const failures = rollout.locks.filter((lock) => FAILED.has(lock.state));
  const active = rollout.state === 'RUNNING' || rollout.state === 'PAUSED';

  const act = async (kind: 'pause' | 'resume' | 'cancel') => {
    setError(null);
    setPending(true);
    try {
      const id = rollout.id;
      if (kind === 'pause') onChanged((await request(PauseFirmwareRolloutDocument, { id })).pauseFirmwareRollout);
      else if (kind === 'resume') onChanged((await request(ResumeFirmwareRolloutDocument, { id })).resumeFirmwareRollout);
      else onChanged((await request(CancelFirmwareRolloutDocument, { id })).cancelFirmwareRollout);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <article className="card" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {rollout.release.hw} {rollout.release.version} · {rollout.state.toLowerCase()}
      </h3>
      {rollout.pausedReason && <p>Paused: {rollout.pausedReason}</p>}
      <div className="table-scroll">
        <table aria-label={`Stages of the ${rollout.release.version} rollout`}>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Locks</th>
              <th scope="col">Sent</th>
              <th scope="col">Under way</th>
              <th scope="col">Confirmed</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {rollout.stageCounts.map((stage) => (
              <tr key={stage.stage} aria-current={stage.stage === rollout.stageIndex && active ? 'step' : undefined}>
                <th scope="row">{stage.stage + 1}</th>
                <td>{stage.percent} %</td>
                <td>{stage.sent}</td>
                <td>{stage.inProgress}</td>
                <td>{stage.confirmed}</td>
                <td>{stage.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {failures.length > 0 && (
        <>
          <h4>Failures</h4>
          <ul>
            {failures.map((lock) => (
              <li key={lock.deviceId}>
                <Link href={lockPath(lock.deviceId)}>{lock.deviceId}</Link>: {lock.state.toLowerCase().replace('_', ' ')}, {updateReasonText(lock.reason)}
              </li>
            ))}
          </ul>
        </>
      )}
      {active && (
        <div className="inline-row">
          {rollout.state === 'RUNNING' ? (
            <button type="button" disabled={pending} onClick={() => void act('pause')}>
              Pause
            </button>
          ) : (
            <button type="button" disabled={pending} onClick={() => void act('resume')}>
              Resume
            </button>
          )}
          <button type="button" disabled={pending} onClick={() => void act('cancel')}>
            Cancel rollout
          </button>
        </div>
      )}
      <FormError message={error} />
    </article>
  );
}
