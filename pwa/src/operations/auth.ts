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

export const PasskeySignInOptionsDocument = graphql(`
  mutation PasskeySignInOptions($username: String) {
    passkeySignInOptions(username: $username)
  }
`);

export const SignInWithPasskeyDocument = graphql(`
  mutation SignInWithPasskey($response: String!) {
    signInWithPasskey(response: $response) {
      ...SessionFields
    }
  }
`);

export const PasskeySecondFactorOptionsDocument = graphql(`
  mutation PasskeySecondFactorOptions($challenge: String!) {
    passkeySecondFactorOptions(challenge: $challenge)
  }
`);

export const SignInSecondFactorWithPasskeyDocument = graphql(`
  mutation SignInSecondFactorWithPasskey($challenge: String!, $response: String!) {
    signInSecondFactorWithPasskey(challenge: $challenge, response: $response) {
      ...SessionFields
    }
  }
`);
