/**
 * Whether the api is reachable: the browser's own idea (`navigator.onLine`) combined with what the
 * last request or socket actually experienced (the api may be down while the network is up).
 */
export class Connectivity {
  private browserOnline: boolean;
  private reachable = true;
  private readonly listeners = new Set<() => void>();

  constructor(target: Pick<Window, 'addEventListener'> & { navigator: Pick<Navigator, 'onLine'> }) {
    this.browserOnline = target.navigator.onLine;
    target.addEventListener('online', () => {
      this.browserOnline = true;
      this.reachable = true;
      this.emit();
    });
    target.addEventListener('offline', () => {
      this.browserOnline = false;
      this.emit();
    });
  }

  online = (): boolean => this.browserOnline && this.reachable;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  reportReachable(): void {
    if (this.reachable) return;
    this.reachable = true;
    this.emit();
  }

  reportUnreachable(): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
