import { graphql } from '../gql';

export const TransferOfferFieldsFragment = graphql(`
  fragment TransferOfferFields on LockTransferOffer {
    id
    deviceId
    lockName
    fromUsername
    toUsername
    state
    expiresAt
  }
`);

export const LockTransferOffersDocument = graphql(`
  query LockTransferOffers {
    lockTransferOffers {
      made {
        ...TransferOfferFields
      }
      received {
        ...TransferOfferFields
      }
    }
  }
`);

export const OfferLockTransferDocument = graphql(`
  mutation OfferLockTransfer($deviceId: ID!, $toUsername: String!) {
    offerLockTransfer(deviceId: $deviceId, toUsername: $toUsername) {
      ...TransferOfferFields
    }
  }
`);

export const CancelLockTransferDocument = graphql(`
  mutation CancelLockTransfer($offerId: ID!) {
    cancelLockTransfer(offerId: $offerId) {
      ...TransferOfferFields
    }
  }
`);

export const DeclineLockTransferDocument = graphql(`
  mutation DeclineLockTransfer($offerId: ID!) {
    declineLockTransfer(offerId: $offerId) {
      ...TransferOfferFields
    }
  }
`);

export const AcceptLockTransferDocument = graphql(`
  mutation AcceptLockTransfer($offerId: ID!) {
    acceptLockTransfer(offerId: $offerId) {
      lock {
        ...LockFields
      }
      secret
      secretNote
    }
  }
`);

export const LockTransferChangedDocument = graphql(`
  subscription LockTransferChanged {
    lockTransferChanged {
      ...TransferOfferFields
    }
  }
`);
