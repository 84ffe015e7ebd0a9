import type { Viewer } from '../auth/viewer.js';
import type { Loaders } from '../graphql/batch-loader.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';

/** What every resolver receives: who asks, from where, and the services to ask. */
export interface GraphQLContext {
  viewer: Viewer | null;
  /** A token was presented but is invalid or expired (so errors can say "sign in again"). */
  tokenRejected: boolean;
  clientAddress: string;
  /** The User-Agent header, bounded (auth/device-name.ts); null when absent. Kept with new sessions for the sessions list. */
  userAgent: string | null;
  /** Over HTTP: the origin the request came to (X-Forwarded-Host/-Proto only from trusted proxies), when it parses. */
  requestOrigin?: string;
  requestId: string;
  log: Logger;
  services: Services;
  /** Store reads batched across the fields of this operation (e.g. every lock's settings in one call); fresh per operation. */
  loaders: Loaders;
  /** Over HTTP, when the browser asked for it (`X-Refresh-Cookie: 1`): hands the refresh token to the browser as an HttpOnly cookie. */
  setRefreshCookie?: (refreshToken: string) => void;
}
