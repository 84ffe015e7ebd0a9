import { graphql } from '../gql';

export const LockFieldsFragment = graphql(`
  fragment LockFields on Lock {
    deviceId
    name
    status
    state
    online
    lastSeen
    battery
    power
    heartbeatSeconds
    lowBattery
    issue
    rssi
    firmware
    door
    boltMotion
    lastChangeSource
    lastChangedBy
    lastChangedAt
    alerts {
      kind
      message
    }
    updatedAt
    owner {
      username
    }
    myRole
    timeZone
    # The share's fields spelled out, not spread: one level less, so that operations nesting a lock
    # (registerLock { lock { ... } }) stay within the server's depth limit (app-operations-limits.test.ts).
    myShare {
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
  }
`);

export const RegistrationFieldsFragment = graphql(`
  fragment RegistrationFields on LockRegistration {
    deviceSecret
    mqttUsername
    mqttPassword
    lock {
      ...LockFields
    }
  }
`);

export const LocksDocument = graphql(`
  query Locks {
    locks {
      ...LockFields
    }
  }
`);

export const LockChangedDocument = graphql(`
  subscription LockChanged($deviceId: ID) {
    lockChanged(deviceId: $deviceId) {
      ...LockFields
    }
  }
`);

export const ClaimLockDocument = graphql(`
  mutation ClaimLock($code: String!, $name: String!) {
    claimLock(code: $code, name: $name) {
      ...LockFields
    }
  }
`);

export const RegisterLockDocument = graphql(`
  mutation RegisterLock($deviceId: ID!, $name: String!) {
    registerLock(deviceId: $deviceId, name: $name) {
      ...RegistrationFields
    }
  }
`);

export const RotateDeviceSecretDocument = graphql(`
  mutation RotateDeviceSecret($deviceId: ID!) {
    rotateDeviceSecret(deviceId: $deviceId) {
      ...RegistrationFields
    }
  }
`);

export const RenameLockDocument = graphql(`
  mutation RenameLock($deviceId: ID!, $name: String!) {
    renameLock(deviceId: $deviceId, name: $name) {
      ...LockFields
    }
  }
`);

export const RemoveLockDocument = graphql(`
  mutation RemoveLock($deviceId: ID!) {
    removeLock(deviceId: $deviceId)
  }
`);

export const ReassignLockDocument = graphql(`
  mutation ReassignLock($deviceId: ID!, $username: String!) {
    reassignLock(deviceId: $deviceId, username: $username) {
      ...LockFields
    }
  }
`);

export const LockAccessLostDocument = graphql(`
  subscription LockAccessLost($deviceId: ID) {
    lockAccessLost(deviceId: $deviceId) {
      deviceId
      reason
      at
    }
  }
`);

export const LockConnectionDocument = graphql(`
  query LockConnection {
    lockConnection {
      host
      hostGuessed
      plainPort
      tlsPort
      tls
      webSocketUrl
      topicPrefix
      protocolVersion
    }
  }
`);
