/**
 * Who passkeys belong to (WebAuthn's relying party): the origins the app is served from and the
 * RP id, a host name the browser binds each credential to. WEBAUTHN_ORIGIN and WEBAUTHN_RP_ID
 * when set; else ALLOWED_ORIGINS; else (development, no list) the origin the request came to.
 * The RP id, unset, is the host name of the request's origin when that is one of the origins,
 * else of the first. A passkey made under one RP id does not work under another: set
 * WEBAUTHN_RP_ID before users add passkeys if the app may move between subdomains.
 */
import { BadUserInputError } from '../errors/graphql-errors.js';

export interface RelyingPartyConfig {
  /** WEBAUTHN_ORIGIN, else ALLOWED_ORIGINS (empty: neither). */
  origins: string[];
  rpId: string | undefined;
}

export interface RelyingParty {
  rpId: string;
  origins: string[];
}

export const RP_NAME = 'Smartlock';

export function relyingParty(config: RelyingPartyConfig, requestOrigin: string | undefined): RelyingParty {
  const origins = config.origins.length > 0 ? config.origins : requestOrigin ? [requestOrigin] : [];
  const base = requestOrigin && origins.includes(requestOrigin) ? requestOrigin : origins[0];
  if (base === undefined) throw new BadUserInputError('Passkeys need the app\'s origin: ask the operator to set WEBAUTHN_ORIGIN.');
  return { rpId: config.rpId ?? new URL(base).hostname, origins };
}
