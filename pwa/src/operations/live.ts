import { graphql } from '../gql';

/** The api's word that live events may have been missed (Redis between replicas was away). */
export const ResyncDocument = graphql(`
  subscription Resync {
    resync {
      reason
      at
    }
  }
`);
