import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import type { FirmwareOverviewQuery } from '../../gql/graphql';
import { useServices } from '../../hooks/use-services';
import { parseStages } from '../../lib/firmware-display';
import { errorMessage } from '../../lib/graphql-http';
import { StartFirmwareRolloutDocument } from '../../operations/firmware';
import type { Rollout } from './rollout-card';

type Release = FirmwareOverviewQuery['firmwareReleases'][number];

export function StartRolloutForm({ releases, onStarted }: { releases: readonly Release[]; onStarted: (rollout: Rollout) => void }) {
  const { request } = useServices();
  const ids = { release: useId(), stages: useId(), failures: useId() };
  const [releaseId, setReleaseId] = useState(releases[0]?.id ?? '');
  const [stages, setStages] = useState('1, 10, 50, 100');
  const [maxFailurePercent, setMaxFailurePercent] = useState('5');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseStages(stages);
    if (!parsed) return setError('Stages are whole percentages separated by commas, e.g. 1, 10, 50, 100.');
    setError(null);
    setPending(true);
    try {
      onStarted((await request(StartFirmwareRolloutDocument, { releaseId, stages: parsed, maxFailurePercent: Number(maxFailurePercent) })).startFirmwareRollout);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  if (releases.length === 0) return <p>No releases yet: add one with <code>npm run admin -- firmware-add</code>.</p>;
  return (
    <form onSubmit={(event) => void submit(event)}>
      <label htmlFor={ids.release}>Release</label>
      <select id={ids.release} value={releaseId} onChange={(e) => setReleaseId(e.target.value)}>
        {releases.map((release) => (
          <option key={release.id} value={release.id}>
            {release.hw} {release.version} (arc {release.arc})
          </option>
        ))}
      </select>
      <label htmlFor={ids.stages}>Stages (% of the locks, cumulative)</label>
      <input id={ids.stages} value={stages} onChange={(e) => setStages(e.target.value)} />
      <label htmlFor={ids.failures}>Pause above this % of failures</label>
      <input id={ids.failures} type="number" min={0} max={100} value={maxFailurePercent} onChange={(e) => setMaxFailurePercent(e.target.value)} />
      <button type="submit" disabled={pending || !releaseId}>
        Start rollout
      </button>
      <FormError message={error} />
    </form>
  );
}
