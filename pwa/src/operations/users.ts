import { graphql } from '../gql';

export const UsersDocument = graphql(`
  query Users {
    users {
      id
      username
      role
      createdAt
    }
  }
`);

export const SetUserRoleDocument = graphql(`
  mutation SetUserRole($username: String!, $role: Role!) {
    setUserRole(username: $username, role: $role) {
      id
      username
      role
      createdAt
    }
  }
`);
