/**
 * Whether the api is reachable: the browser's own idea (`navigator.onLine`) combined with what the
 * last request or socket actually experienced (the api may be down while the network is up).
 */
/**
 * Three situations the app words differently (issue: "nothing is shown as live that is not"):
 * everything reachable; this phone has no network; the network is up but the server does not answer.
 */
export type Situation = 'live' | 'phone-offline' | 'server-unreachable';

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

  situation = (): Situation => (!this.browserOnline ? 'phone-offline' : !this.reachable ? 'server-unreachable' : 'live');

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
