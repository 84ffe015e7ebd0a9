import { useState } from 'react';
import { currentBrowser, isIosBrowserTab } from '../lib/ios-install';

const DISMISSED_KEY = 'smartlock.iosInstallHintDismissed';

/** On iPhone and iPad in a browser tab: how to add the app to the home screen, until dismissed. */
export function IosInstallHint() {
  const [shown, setShown] = useState(() => isIosBrowserTab(currentBrowser()) && localStorage.getItem(DISMISSED_KEY) === null);
  if (!shown) return null;
  return (
    <aside className="notice ios-install-hint" aria-label="Install on iPhone or iPad">
      <p>
        To install Smartlock, tap <strong>Share</strong>, then <strong>Add to Home Screen</strong>. Notifications on iPhone and iPad
        work only in the app added to the Home Screen.
      </p>
      <button
        type="button"
        onClick={() => {
          localStorage.setItem(DISMISSED_KEY, '1');
          setShown(false);
        }}
      >
        Got it
      </button>
    </aside>
  );
}
