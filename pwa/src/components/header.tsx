import { useState } from 'react';
import { useInstallPrompt } from '../hooks/use-install-prompt';
import { useServices } from '../hooks/use-services';
import { errorMessage } from '../lib/graphql-http';
import type { Route } from '../lib/routes';
import type { Session } from '../lib/session-store';
import { Link } from './link';

export function Header({ session, route }: { session: Session; route: Route }) {
  const services = useServices();
  const { install } = useInstallPrompt();
  const [error, setError] = useState<string | null>(null);
  const isAdmin = session.user.role === 'ADMIN';
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);

  return (
    <header className="app-header">
      <span className="brand" aria-hidden="true">
        Smartlock
      </span>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link href="/" aria-current={current('locks')}>
              Locks
            </Link>
          </li>
          <li>
            <Link href="/add" aria-current={current('add')}>
              Add a lock
            </Link>
          </li>
          {isAdmin && (
            <li>
              <Link href="/admin" aria-current={current('admin')}>
                Admin
              </Link>
            </li>
          )}
        </ul>
      </nav>
      <div className="header-actions">
        <details className="account">
          <summary>
            <span className="visually-hidden">Account: </span>
            <span className="account-name">{session.user.username}</span>
            <span className="chevron" aria-hidden="true" />
          </summary>
          <div className="account-panel">
            <p>
              Signed in as <strong>{session.user.username}</strong> ({session.user.role === 'ADMIN' ? 'admin' : 'user'}).
            </p>
            <div className="account-actions">
              <Link href="/account" aria-current={current('account')}>
                Sessions and password
              </Link>
              {install && (
                <button type="button" onClick={() => void install()}>
                  Install app
                </button>
              )}
              <button type="button" onClick={() => void services.session.signOut()}>
                Sign out
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setError(null);
                  services.session.signOutEverywhere().catch((e: unknown) => setError(errorMessage(e)));
                }}
              >
                Sign out everywhere
              </button>
            </div>
            {error && <p role="alert">{error}</p>}
          </div>
        </details>
      </div>
    </header>
  );
}
