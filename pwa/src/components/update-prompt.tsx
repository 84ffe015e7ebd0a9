import { useRegisterSW } from 'virtual:pwa-register/react';

/** Registers the service worker (`/sw.js`, scope `/`) and offers a new version when one is waiting. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="status">
      <p>A new version is available</p>
      <button type="button" className="primary" onClick={() => void updateServiceWorker(true)}>
        Update
      </button>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        Later
      </button>
    </div>
  );
}
