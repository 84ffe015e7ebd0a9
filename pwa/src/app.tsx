import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { Header } from './components/header';
import { IosInstallHint } from './components/ios-install-hint';
import { OfflineBanner } from './components/offline-banner';
import { PageHeading } from './components/page-heading';
import { PageLoading } from './components/page-loading';
import { StepUpDialog } from './components/step-up-dialog';
import { UpdatePrompt } from './components/update-prompt';
import { usePlace } from './hooks/use-place';
import { useSession } from './hooks/use-session';
import { LocksStoreContext, useServices } from './hooks/use-services';
import { LocksStore } from './lib/locks-store';
import { keepFragment, withKeptFragment } from './lib/kept-fragment';
import { navigate } from './lib/navigation';
import { isPublicRoute, matchRoute, safeNext, signInPath, type Route } from './lib/routes';
import type { Session } from './lib/session-store';
import { MeDocument } from './operations/auth';
import { LocksPage } from './pages/locks-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';

const RecoverPage = lazy(() => import('./pages/recover-page'));
const VerifyEmailPage = lazy(() => import('./pages/verify-email-page'));

// Loaded on demand: the first screen is the sign-in form or "My locks"; the service worker
// precaches these chunks too, so they open offline after the first visit.
const AdminPage = lazy(() => import('./pages/admin-page'));
const FirmwarePage = lazy(() => import('./pages/firmware-page'));
const AccountPage = lazy(() => import('./pages/account-page'));
const LockDetailPage = lazy(() => import('./pages/lock-detail-page').then((m) => ({ default: m.LockDetailPage })));
const InvitePage = lazy(() => import('./pages/invite-page').then((m) => ({ default: m.InvitePage })));
const AddLockPage = lazy(() => import('./pages/add-lock-page').then((m) => ({ default: m.AddLockPage })));

function Frame({ children, header }: { children: ReactNode; header?: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {header}
      <OfflineBanner />
      <main id="main" className="page">
        <IosInstallHint />
        {children}
      </main>
      <UpdatePrompt />
    </>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  switch (route.name) {
    case 'locks':
      return <LocksPage username={session.user.username} />;
    case 'lock':
      return (
        <Suspense fallback={<PageLoading />}>
          <LockDetailPage key={route.deviceId} deviceId={route.deviceId} username={session.user.username} />
        </Suspense>
      );
    case 'add':
      return (
        <Suspense fallback={<PageLoading />}>
          <AddLockPage />
        </Suspense>
      );
    case 'invite':
      return (
        <Suspense fallback={<PageLoading />}>
          <InvitePage />
        </Suspense>
      );
    case 'admin':
      if (session.user.role !== 'ADMIN') {
        return (
          <>
            <PageHeading title="Not allowed">Not allowed</PageHeading>
            <p>Only administrators can open this page.</p>
          </>
        );
      }
      return (
        <Suspense fallback={<PageLoading />}>
          <AdminPage />
        </Suspense>
      );
    case 'firmware':
      return (
        <Suspense fallback={<PageLoading />}>
          <FirmwarePage />
        </Suspense>
      );
    case 'account':
      return (
        <Suspense fallback={<PageLoading />}>
          <AccountPage />
        </Suspense>
      );
    case 'signin':
    case 'recover':
    case 'verify-email':
    case 'not-found':
      return <NotFoundPage />;
  }
}

function SignedIn({ session, route }: { session: Session; route: Route }) {
  const services = useServices();
  const userId = session.user.id;
  const store = useMemo(() => new LocksStore({ ...services, userId }), [services, userId]);

  useEffect(() => {
    // The cached user may be stale (a role change): ask once per session.
    services.request(MeDocument, {}).then(
      (data) => services.session.updateUser(data.me),
      () => undefined,
    );
  }, [services, userId]);

  return (
    <LocksStoreContext.Provider value={store}>
      <Frame header={<Header session={session} route={route} />}>
        <Page route={route} session={session} />
        <StepUpDialog />
      </Frame>
    </LocksStoreContext.Provider>
  );
}

export function App() {
  const session = useSession();
  const place = usePlace();
  const route = matchRoute(place.pathname);
  const next = safeNext(new URLSearchParams(place.search).get('next'));

  useEffect(() => {
    if (isPublicRoute(route)) return;
    if (!session && route.name !== 'signin') {
      // A claim code in a QR link (/claim#<code>) or an invitation (/invite#<token>) must survive
      // sign-in; the address cannot carry it.
      keepFragment(place.pathname + place.search, window.location.hash);
      navigate(signInPath(place.pathname + place.search), { replace: true });
    } else if (session && route.name === 'signin') navigate(withKeptFragment(next), { replace: true });
  }, [session, route, place, next]);

  if (isPublicRoute(route)) {
    return (
      <Frame
        header={
          <header className="app-header">
            <span className="brand">Smartlock</span>
          </header>
        }
      >
        <Suspense fallback={<PageLoading />}>{route.name === 'recover' ? <RecoverPage /> : <VerifyEmailPage />}</Suspense>
      </Frame>
    );
  }
  if (session && route.name !== 'signin') return <SignedIn session={session} route={route} />;
  if (!session && route.name === 'signin') {
    return (
      <Frame
        header={
          <header className="app-header">
            <span className="brand">Smartlock</span>
          </header>
        }
      >
        <SignInPage next={next} />
      </Frame>
    );
  }
  return null;
}
