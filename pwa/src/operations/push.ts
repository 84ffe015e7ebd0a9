import { graphql } from '../gql';

export const VapidPublicKeyDocument = graphql(`
  query VapidPublicKey {
    vapidPublicKey
  }
`);

export const SubscribePushDocument = graphql(`
  mutation SubscribePush($subscription: PushSubscriptionInput!, $deviceLabel: String!) {
    subscribePush(subscription: $subscription, deviceLabel: $deviceLabel) {
      id
      endpoint
    }
  }
`);

export const UnsubscribePushDocument = graphql(`
  mutation UnsubscribePush($endpoint: String!) {
    unsubscribePush(endpoint: $endpoint)
  }
`);

export const PushPreferencesDocument = graphql(`
  query PushPreferences {
    pushPreferences {
      deviceId
      kind
      enabled
    }
  }
`);

export const SetPushPreferenceDocument = graphql(`
  mutation SetPushPreference($deviceId: ID, $kind: PushKind!, $enabled: Boolean!) {
    setPushPreference(deviceId: $deviceId, kind: $kind, enabled: $enabled) {
      deviceId
      kind
      enabled
    }
  }
`);
