import { useOnline } from '../hooks/use-online';

/** Always in the page so that screen readers announce the change when the connection drops. */
export function OfflineBanner() {
  const online = useOnline();
  return (
    <div role="status" className={online ? 'offline-banner-empty' : 'offline-banner'}>
      {online ? null : 'You are offline — showing the last known state'}
    </div>
  );
}
