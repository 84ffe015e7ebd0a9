import { graphql } from '../gql';

export const SecretRotationFieldsFragment = graphql(`
  fragment SecretRotationFields on Lock {
    deviceId
    secretRotation {
      state
      startedAt
    }
    overTheAirRotationUnavailable
  }
`);

export const SecretRotationDocument = graphql(`
  query SecretRotation($deviceId: ID!) {
    lock(deviceId: $deviceId) {
      ...SecretRotationFields
    }
  }
`);

export const RotateSecretOverTheAirDocument = graphql(`
  mutation RotateSecretOverTheAir($deviceId: ID!) {
    rotateDeviceSecretOverTheAir(deviceId: $deviceId) {
      ...SecretRotationFields
    }
  }
`);
