import { graphql } from '../gql';

// A lock's shares (the owner's "People") and the viewer's own share (LockFields.myShare).
export const ShareFieldsFragment = graphql(`
  fragment ShareFields on LockShare {
    id
    deviceId
    guest
    role
    startsAt
    endsAt
    weekly {
      days
      from
      to
    }
    createdBy
    allowedNow
    nextAllowedAt
    allowedUntil
  }
`);

export const InvitationFieldsFragment = graphql(`
  fragment InvitationFields on ShareInvitation {
    id
    deviceId
    role
    startsAt
    endsAt
    weekly {
      days
      from
      to
    }
    createdAt
    expiresAt
  }
`);

export const LockSharesDocument = graphql(`
  query LockShares($deviceId: ID!) {
    lockShares(deviceId: $deviceId) {
      ...ShareFields
    }
  }
`);

export const ShareInvitationsDocument = graphql(`
  query ShareInvitations($deviceId: ID!) {
    shareInvitations(deviceId: $deviceId) {
      ...InvitationFields
    }
  }
`);

export const ShareLockDocument = graphql(`
  mutation ShareLock($deviceId: ID!, $username: String!, $role: ShareRole!, $access: ShareAccessInput) {
    shareLock(deviceId: $deviceId, username: $username, role: $role, access: $access) {
      ...ShareFields
    }
  }
`);

export const UpdateShareDocument = graphql(`
  mutation UpdateShare($shareId: ID!, $role: ShareRole!, $access: ShareAccessInput) {
    updateShare(shareId: $shareId, role: $role, access: $access) {
      ...ShareFields
    }
  }
`);

export const RevokeShareDocument = graphql(`
  mutation RevokeShare($shareId: ID!) {
    revokeShare(shareId: $shareId)
  }
`);

export const CreateShareInvitationDocument = graphql(`
  mutation CreateShareInvitation($deviceId: ID!, $role: ShareRole!, $access: ShareAccessInput, $expiresInHours: Int) {
    createShareInvitation(deviceId: $deviceId, role: $role, access: $access, expiresInHours: $expiresInHours) {
      invitation {
        ...InvitationFields
      }
      link
    }
  }
`);

export const CancelShareInvitationDocument = graphql(`
  mutation CancelShareInvitation($invitationId: ID!) {
    cancelShareInvitation(invitationId: $invitationId)
  }
`);

export const AcceptShareInvitationDocument = graphql(`
  mutation AcceptShareInvitation($token: String!) {
    acceptShareInvitation(token: $token) {
      ...ShareFields
      lock {
        ...LockFields
      }
    }
  }
`);

export const SetLockTimeZoneDocument = graphql(`
  mutation SetLockTimeZone($deviceId: ID!, $timeZone: String!) {
    setLockTimeZone(deviceId: $deviceId, timeZone: $timeZone) {
      ...LockFields
    }
  }
`);
