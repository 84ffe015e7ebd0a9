import { useCallback, useEffect, useState } from 'react';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import type { FirmwareOverviewQuery } from '../gql/graphql';
import { useServices } from '../hooks/use-services';
import { useSession } from '../hooks/use-session';
import { errorMessage } from '../lib/graphql-http';
import { FirmwareOverviewDocument } from '../operations/firmware';
import { RolloutCard, type Rollout } from './firmware/rollout-card';
import { StartRolloutForm } from './firmware/start-rollout-form';

const REFRESH_MS = 10_000;

function FirmwareScreen() {
  const { request } = useServices();
  const [data, setData] = useState<FirmwareOverviewQuery | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    request(FirmwareOverviewDocument, {}).then(
      (result) => {
        setData(result);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [request]);

  useEffect(() => {
    load();
    // Rollouts move on their own (stages advance, locks report): follow them while the page is open.
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const replace = (rollout: Rollout) =>
    setData((current) => current && { ...current, firmwareRollouts: [rollout, ...current.firmwareRollouts.filter((r) => r.id !== rollout.id)] });

  return (
    <>
      <PageHeading title="Firmware">Firmware</PageHeading>
      <p>
        <Link href="/admin">Back to Admin</Link>
      </p>
      <FormError message={error} />
      <section className="card" aria-labelledby="releases-title">
        <h2 id="releases-title">Releases</h2>
        {data && data.firmwareReleases.length > 0 && (
          <div className="table-scroll">
            <table aria-labelledby="releases-title">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Hardware</th>
                  <th scope="col">Anti-rollback</th>
                  <th scope="col">Size</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {data.firmwareReleases.map((release) => (
                  <tr key={release.id}>
                    <th scope="row">{release.version}</th>
                    <td>{release.hw}</td>
                    <td>{release.arc}</td>
                    <td>{Math.round(release.size / 1024)} KiB</td>
                    <td>
                      <code>{release.sha256.slice(0, 12)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Start a rollout</h3>
        {data && <StartRolloutForm releases={data.firmwareReleases} onStarted={replace} />}
      </section>
      <section aria-labelledby="rollouts-title">
        <h2 id="rollouts-title">Rollouts</h2>
        {data?.firmwareRollouts.length === 0 && <p>No rollouts yet.</p>}
        {data?.firmwareRollouts.map((rollout) => <RolloutCard key={rollout.id} rollout={rollout} onChanged={replace} />)}
      </section>
    </>
  );
}

/** Loaded on demand, like the admin page: only admins ever download it. */
export default function FirmwarePage() {
  const session = useSession();
  if (session?.user.role !== 'ADMIN') {
    return (
      <>
        <PageHeading title="Not allowed">Not allowed</PageHeading>
        <p>Only administrators can open this page.</p>
      </>
    );
  }
  return <FirmwareScreen />;
}
