import { graphql } from '../gql';

export const SessionFieldsFragment = graphql(`
  fragment SessionFields on AuthPayload {
    accessToken
    expiresAt
    user {
      id
      username
      role
    }
  }
`);

export const SignInDocument = graphql(`
  mutation SignIn($username: String!, $password: String!) {
    signIn(username: $username, password: $password) {
      ...SessionFields
    }
  }
`);

export const SignUpDocument = graphql(`
  mutation SignUp($username: String!, $password: String!) {
    signUp(username: $username, password: $password) {
      ...SessionFields
    }
  }
`);

export const MeDocument = graphql(`
  query Me {
    me {
      id
      username
      role
    }
  }
`);

export const SignInSecondFactorDocument = graphql(`
  mutation SignInSecondFactor($challenge: String!, $code: String!) {
    signInSecondFactor(challenge: $challenge, code: $code) {
      ...SessionFields
    }
  }
`);
