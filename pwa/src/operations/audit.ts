import { graphql } from '../gql';

export const AuditFieldsFragment = graphql(`
  fragment AuditFields on AuditEntry {
    id
    at
    actor
    action
    deviceId
    result
    detail
  }
`);

export const AuditLogDocument = graphql(`
  query AuditLog($filter: AuditFilterInput, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          ...AuditFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AuditAppendedDocument = graphql(`
  subscription AuditAppended {
    auditAppended {
      ...AuditFields
    }
  }
`);
