import { useSituation } from '../hooks/use-situation';

const WORDS = {
  'phone-offline': 'You are offline — showing the last known state',
  'server-unreachable': 'Cannot reach the Smartlock server — showing the last known state',
} as const;

/** Always in the page so that screen readers announce the change; worded for each situation. */
export function OfflineBanner() {
  const situation = useSituation();
  return (
    <div role="status" className={situation === 'live' ? 'offline-banner-empty' : 'offline-banner'}>
      {situation === 'live' ? null : WORDS[situation]}
    </div>
  );
}
