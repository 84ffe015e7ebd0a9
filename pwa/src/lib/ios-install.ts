/**
 * iOS and iPadOS browsers have no install prompt (no `beforeinstallprompt`): the app is installed
 * from Safari's Share menu, "Add to Home Screen". It matters more there than elsewhere: web push
 * reaches only an app added to the home screen.
 */
export interface BrowserFacts {
  userAgent: string;
  /** navigator.maxTouchPoints: iPadOS Safari says "Macintosh" but has touch. */
  maxTouchPoints: number;
  /** Running from the home screen (display-mode standalone, or Safari's navigator.standalone). */
  standalone: boolean;
}

export function isIosBrowserTab({ userAgent, maxTouchPoints, standalone }: BrowserFacts): boolean {
  if (standalone) return false;
  return /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
}

export function currentBrowser(): BrowserFacts {
  const standalone = window.matchMedia?.('(display-mode: standalone)').matches === true || (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return { userAgent: navigator.userAgent, maxTouchPoints: navigator.maxTouchPoints ?? 0, standalone };
}
