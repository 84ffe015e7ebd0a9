/** Pre-filled headers: comment-free JSON so it stays valid for any JSON parser. */
export const DEFAULT_HEADERS = JSON.stringify(
  { Authorization: 'Bearer <paste accessToken from signIn>' },
  null,
  2,
);

/** First-tab document; its operations follow the api's AuthResolver (signUp, signIn, me). */
export const DEFAULT_QUERY = `# Smartlock GraphQL playground
#
# Most operations need a signed-in user. To get a token:
#
#   1. Create an account once with SignUp below (password: 10 characters or more),
#      or sign in to an existing one with SignIn. Put your own username and
#      password in, then press the run button and pick the operation.
#   2. Copy "accessToken" from the response.
#   3. Open the Headers tab at the bottom and replace the placeholder:
#
#        {"Authorization": "Bearer eyJhbGciOi..."}
#
#   4. Run Me to check. Queries and mutations send the header over HTTP;
#      subscriptions open a WebSocket and send the same token as graphql-ws
#      connectionParams, so they pick up a changed header on the next run.
#
# Access tokens expire (see expiresAt): run SignIn again, or trade the
# refreshToken with refreshSession, when you get UNAUTHENTICATED.
# Headers are saved in this browser's localStorage; the Docs panel (top left)
# lists every operation.

mutation SignUp {
  signUp(username: "alice", password: "change me: 10+ characters") {
    accessToken
    refreshToken
    expiresAt
  }
}

mutation SignIn {
  signIn(username: "alice", password: "change me: 10+ characters") {
    accessToken
    refreshToken
    expiresAt
  }
}

query Me {
  me {
    id
    username
    role
  }
}
`;
