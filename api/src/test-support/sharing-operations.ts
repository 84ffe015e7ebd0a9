/** GraphQL operations and helpers of guest access (sharing), for the sharing tests. */
import { gql, type AuthResult } from './graphql-client.js';

const SHARE_FIELDS = 'id deviceId guest role startsAt endsAt weekly { days from to } createdBy allowedNow nextAllowedAt allowedUntil lock { deviceId name }';
export const SHARE_LOCK = `mutation ($d: ID!, $u: String!, $r: ShareRole!, $a: ShareAccessInput) { shareLock(deviceId: $d, username: $u, role: $r, access: $a) { ${SHARE_FIELDS} } }`;
export const UPDATE_SHARE = `mutation ($id: ID!, $r: ShareRole!, $a: ShareAccessInput) { updateShare(shareId: $id, role: $r, access: $a) { ${SHARE_FIELDS} } }`;
export const REVOKE_SHARE = 'mutation ($id: ID!) { revokeShare(shareId: $id) }';
export const LOCK_SHARES = `query ($d: ID!) { lockShares(deviceId: $d) { ${SHARE_FIELDS} } }`;
export const INVITE = 'mutation ($d: ID!, $r: ShareRole!, $a: ShareAccessInput, $h: Int) { createShareInvitation(deviceId: $d, role: $r, access: $a, expiresInHours: $h) { link invitation { id deviceId role expiresAt createdAt } } }';
export const INVITATIONS = 'query ($d: ID!) { shareInvitations(deviceId: $d) { id role expiresAt } }';
export const CANCEL_INVITATION = 'mutation ($id: ID!) { cancelShareInvitation(invitationId: $id) }';
export const ACCEPT_INVITATION = `mutation ($t: String!) { acceptShareInvitation(token: $t) { ${SHARE_FIELDS} } }`;
export const SET_TIME_ZONE = 'mutation ($d: ID!, $tz: String!) { setLockTimeZone(deviceId: $d, timeZone: $tz) { deviceId timeZone } }';
export const MY_LOCKS = 'query { locks { deviceId name timeZone myRole myShare { role allowedNow nextAllowedAt allowedUntil } } }';

export interface ShareView {
  id: string;
  deviceId: string;
  guest: string;
  role: 'CO_OWNER' | 'GUEST';
  startsAt: string | null;
  endsAt: string | null;
  weekly: { days: string[]; from: string; to: string }[];
  createdBy: string;
  allowedNow: boolean;
  nextAllowedAt: string | null;
  allowedUntil: string | null;
  lock: { deviceId: string; name: string };
}

export interface AccessInput {
  startsAt?: string | null;
  endsAt?: string | null;
  weekly?: { days: string[]; from: string; to: string }[];
}

export async function shareLock(url: string, owner: AuthResult, deviceId: string, username: string, role: 'CO_OWNER' | 'GUEST', access?: AccessInput): Promise<ShareView> {
  const response = await gql<{ shareLock: ShareView }>(url, SHARE_LOCK, { d: deviceId, u: username, r: role, a: access ?? null }, owner.accessToken);
  if (!response.data) throw new Error(`shareLock failed: ${JSON.stringify(response.errors)}`);
  return response.data.shareLock;
}
