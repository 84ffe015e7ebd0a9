import { useCallback, useEffect, useState } from 'react';
import { FormError } from '../../components/form-error';
import { useNow } from '../../hooks/use-now';
import { useServices } from '../../hooks/use-services';
import type { SessionsQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { relativeTime } from '../../lib/relative-time';
import { EndSessionDocument, SessionsDocument } from '../../operations/account';

type UserSession = SessionsQuery['sessions'][number];

/** Every signed-in session of this account, each with "End" (this one: "Sign out"). */
export function SessionsSection({ reloadKey }: { reloadKey: number }) {
  const services = useServices();
  const { request } = services;
  const now = useNow(30_000);
  const [sessions, setSessions] = useState<readonly UserSession[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions((await request(SessionsDocument, {})).sessions);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [request]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  const end = async (session: UserSession) => {
    if (session.current) {
      await services.session.signOut();
      return;
    }
    setEnding(session.id);
    setError(null);
    try {
      await request(EndSessionDocument, { id: session.id });
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setEnding(null);
    }
  };

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      <FormError message={error} />
      <div className="table-scroll">
        <table aria-labelledby="sessions-title">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id} data-session-id={session.id}>
                <th scope="row">
                  {session.device}
                  {session.current && <span className="muted"> (this device)</span>}
                </th>
                <td>{session.clientAddress ?? '—'}</td>
                <td>{new Date(session.createdAt).toLocaleString()}</td>
                <td>{relativeTime(session.lastUsedAt, now)}</td>
                <td>
                  <button type="button" className={session.current ? undefined : 'danger'} disabled={ending === session.id} onClick={() => void end(session)}>
                    {session.current ? 'Sign out' : 'End'}
                    <span className="visually-hidden"> session on {session.device}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
