import { graphql } from '../gql';

export const FirmwareRolloutFieldsFragment = graphql(`
  fragment FirmwareRolloutFields on FirmwareRollout {
    id
    state
    stages
    stageIndex
    maxFailurePercent
    pausedReason
    startedBy
    createdAt
    release {
      id
      version
      hw
    }
    stageCounts {
      stage
      percent
      sent
      inProgress
      confirmed
      failed
    }
    locks {
      deviceId
      stage
      state
      reason
    }
  }
`);

export const FirmwareOverviewDocument = graphql(`
  query FirmwareOverview {
    firmwareReleases {
      id
      hw
      version
      arc
      size
      sha256
      addedAt
    }
    firmwareRollouts {
      ...FirmwareRolloutFields
    }
  }
`);

export const StartFirmwareRolloutDocument = graphql(`
  mutation StartFirmwareRollout($releaseId: ID!, $stages: [Int!]!, $maxFailurePercent: Int!) {
    startFirmwareRollout(releaseId: $releaseId, stages: $stages, maxFailurePercent: $maxFailurePercent) {
      ...FirmwareRolloutFields
    }
  }
`);

export const PauseFirmwareRolloutDocument = graphql(`
  mutation PauseFirmwareRollout($id: ID!) {
    pauseFirmwareRollout(id: $id) {
      ...FirmwareRolloutFields
    }
  }
`);

export const ResumeFirmwareRolloutDocument = graphql(`
  mutation ResumeFirmwareRollout($id: ID!) {
    resumeFirmwareRollout(id: $id) {
      ...FirmwareRolloutFields
    }
  }
`);

export const CancelFirmwareRolloutDocument = graphql(`
  mutation CancelFirmwareRollout($id: ID!) {
    cancelFirmwareRollout(id: $id) {
      ...FirmwareRolloutFields
    }
  }
`);

export const LockFirmwareUpdateDocument = graphql(`
  query LockFirmwareUpdate($deviceId: ID!) {
    lock(deviceId: $deviceId) {
      deviceId
      firmware
      firmwareUpdate {
        releaseVersion
        state
        reason
        updatedAt
      }
    }
  }
`);
