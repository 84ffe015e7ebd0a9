/**
 * Account recovery by email, with a real SMTP server started by the test (smtp-server) and the
 * api's nodemailer transport: adding an address mails a verification link (and needs a recent
 * password); "Forgot password?" answers the same for every input and mails a one-time link only
 * to a verified address; the link sets a new password; requests are throttled per client address
 * and mails per account. The address is in the data export and goes with the account.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { totp } from '../src/auth/totp.js';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult, type GraphQLResponse } from '../src/test-support/graphql-client.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../src/test-support/smtp-sink.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'violet kettle marathon';
const ORIGIN = 'http://127.0.0.1:5173';
const SET_EMAIL = 'mutation ($a: String!) { setRecoveryEmail(address: $a) { address verified } }';
const EMAIL = 'query { recoveryEmail { address verified } }';
const VERIFY = 'mutation ($t: String!) { verifyRecoveryEmail(token: $t) { address verified } }';
const FORGOT = 'mutation ($u: String!) { requestAccountRecovery(usernameOrEmail: $u) }';
const RECOVER = 'mutation ($t: String!, $p: String!) { recoverAccount(token: $t, newPassword: $p) { accessToken user { username } } }';
const AVAILABLE = 'query { emailRecoveryAvailable }';
/** Long enough for a mail that was going to be sent to arrive, when a test shows none was. */
const QUIET_MS = 1500;

let app: TestApp | null = null;
let smtp: SmtpSink | null = null;
afterEach(async () => {
  await app?.close();
  await smtp?.close();
  app = null;
  smtp = null;
});

async function start(env: Record<string, string> = {}): Promise<{ app: TestApp; smtp: SmtpSink }> {
  smtp = await startSmtpSink();
  app = await startTestApp({ SMTP_URL: smtp.url, SMTP_FROM: 'Smartlock <smartlock@home.example>', ALLOWED_ORIGINS: ORIGIN, ...env });
  return { app, smtp };
}

function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`${ORIGIN}/${path}#([A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1]!;
}

const forgot = (url: string, text: string) => gql<{ requestAccountRecovery: boolean }>(url, FORGOT, { u: text });

/** Adds and verifies `address` for a freshly signed-up user (sign-up is a fresh password proof). */
async function withVerifiedAddress(a: TestApp, s: SmtpSink, username: string, address: string): Promise<AuthResult> {
  const user = await signUp(a.httpUrl, username, PASSWORD);
  const set = await gql(a.httpUrl, SET_EMAIL, { a: address }, user.accessToken);
  expect(set.data).toEqual({ setRecoveryEmail: { address: address.toLowerCase(), verified: false } });
  const mail = await s.waitFor(address, 5000, (m) => m.text.includes('/verify-email#'));
  expect((await gql(a.httpUrl, VERIFY, { t: linkIn(mail, 'verify-email') })).data).toEqual({ verifyRecoveryEmail: { address: address.toLowerCase(), verified: true } });
  return user;
}

describe('recovery by email', { timeout: 60_000 }, () => {
  it('verifies an address by a mailed link, mails a recovery link only to a verified address, and the link works once', async () => {
    const { app: a, smtp: s } = await start();
    expect((await gql(a.httpUrl, AVAILABLE)).data).toEqual({ emailRecoveryAvailable: true });
    const alice = await signUp(a.httpUrl, 'alice', PASSWORD);
    expect((await gql(a.httpUrl, SET_EMAIL, { a: 'not an address' }, alice.accessToken)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(a.httpUrl, SET_EMAIL, { a: ' Alice@Example.ORG ' }, alice.accessToken)).data).toEqual({ setRecoveryEmail: { address: 'alice@example.org', verified: false } });
    const verification = await s.waitFor('alice@example.org');
    expect(verification.subject).toBe('Confirm your email address for Smartlock');
    const verifyToken = linkIn(verification, 'verify-email');

    // Unverified: "Forgot password?" answers the same and mails nothing.
    expect((await forgot(a.httpUrl, 'alice')).data).toEqual({ requestAccountRecovery: true });
    expect((await forgot(a.httpUrl, 'alice@example.org')).data).toEqual({ requestAccountRecovery: true });
    await sleep(QUIET_MS);
    expect(s.mails).toHaveLength(1);

    expect((await gql(a.httpUrl, VERIFY, { t: verifyToken })).data).toEqual({ verifyRecoveryEmail: { address: 'alice@example.org', verified: true } });
    expect(errorCodes(await gql(a.httpUrl, VERIFY, { t: verifyToken }))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(a.httpUrl, EMAIL, {}, alice.accessToken)).data).toEqual({ recoveryEmail: { address: 'alice@example.org', verified: true } });

    // Verified: by the address (any case), a recovery link arrives.
    expect((await forgot(a.httpUrl, 'ALICE@example.org')).data).toEqual({ requestAccountRecovery: true });
    const recovery = await s.waitFor('alice@example.org', 5000, (m) => m.text.includes('/recover#'));
    expect(recovery.subject).toBe('Reset your Smartlock password');
    expect(recovery.text).toContain('within 1 hour');
    const token = linkIn(recovery, 'recover');
    const redeemed = await gql<{ recoverAccount: { user: { username: string } } }>(a.httpUrl, RECOVER, { t: token, p: NEW_PASSWORD });
    expect(redeemed.data?.recoverAccount.user.username).toBe('alice');
    expect(errorCodes(await gql(a.httpUrl, RECOVER, { t: token, p: 'another fine passphrase' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(a.httpUrl, 'query { me { username } }', {}, alice.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect((await gql<{ signIn: AuthResult }>(a.httpUrl, SIGN_IN, { username: 'alice', password: NEW_PASSWORD })).data?.signIn.user.username).toBe('alice');

    const actions = (await a.services.store.audit.query({ actor: 'alice' }, { first: 50 })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.emailChanged', 'user.emailVerified', 'user.recoveryLinkIssued', 'user.recovered']));
  });

  it('answers the same for unknown users and addresses, and mails them nothing', async () => {
    const { app: a, smtp: s } = await start();
    await withVerifiedAddress(a, s, 'bob', 'bob@example.org');
    const before = s.mails.length;
    const answers: GraphQLResponse[] = [];
    for (const text of ['nobody', 'nobody@example.org', 'bob@example.com', '', 'x'.repeat(500)]) answers.push(await forgot(a.httpUrl, text));
    for (const answer of answers) expect(answer).toEqual({ data: { requestAccountRecovery: true } });
    await sleep(QUIET_MS);
    expect(s.mails).toHaveLength(before);
  });

  it('throttles requests per client address (TOO_MANY_ATTEMPTS) and mails per account (silently)', async () => {
    const { app: a, smtp: s } = await start();
    await withVerifiedAddress(a, s, 'carol', 'carol@example.org');
    const results: GraphQLResponse<{ requestAccountRecovery: boolean }>[] = [];
    for (let i = 0; i < 11; i++) results.push(await forgot(a.httpUrl, 'carol'));
    expect(results.slice(0, 10).every((r) => r.data?.requestAccountRecovery === true)).toBe(true);
    expect(errorCodes(results[10]!)).toEqual(['TOO_MANY_ATTEMPTS']);
    await sleep(QUIET_MS);
    // Ten accepted requests for one account, three mails: the rest looked the same and sent nothing.
    expect(s.mails.filter((m) => m.text.includes('/recover#'))).toHaveLength(3);
  });

  it('needs a recent password to set the address, removes it with the account, and exports it', async () => {
    const { app: a, smtp: s } = await start({ STEP_UP_MAX_AGE: '1s' });
    const dave = await withVerifiedAddress(a, s, 'dave', 'dave@example.org');
    const exported = await gql<{ exportMyData: string }>(a.httpUrl, 'query { exportMyData }', {}, dave.accessToken);
    expect((JSON.parse(exported.data!.exportMyData) as { recoveryEmail: unknown }).recoveryEmail).toMatchObject({ address: 'dave@example.org', verified: true });
    await sleep(1100);
    expect(errorCodes(await gql(a.httpUrl, SET_EMAIL, { a: 'mallory@example.org' }, dave.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(a.httpUrl, 'mutation { removeRecoveryEmail }', {}, dave.accessToken))).toEqual(['STEP_UP_REQUIRED']);

    const deleted = await gql(a.httpUrl, 'mutation ($p: String!) { deleteAccount(password: $p) }', { p: PASSWORD }, dave.accessToken);
    expect(deleted.errors).toBeUndefined();
    expect(await a.services.store.emails.findVerifiedByAddress('dave@example.org')).toEqual([]);
  });

  it('never removes the second factor: an emailed link sets the password, sign-in still asks for the code', async () => {
    const { app: a, smtp: s } = await start();
    const frank = await withVerifiedAddress(a, s, 'frank', 'frank@example.org');
    const begun = await gql<{ beginTotpEnrollment: { secret: string } }>(a.httpUrl, 'mutation { beginTotpEnrollment { secret } }', {}, frank.accessToken);
    const secret = begun.data!.beginTotpEnrollment.secret;
    await gql(a.httpUrl, 'mutation ($c: String!) { confirmTotpEnrollment(code: $c) }', { c: totp(secret, Date.now()) }, frank.accessToken);
    expect(await a.services.totp.isOn(frank.user.id)).toBe(true);

    await forgot(a.httpUrl, 'frank');
    const token = linkIn(await s.waitFor('frank@example.org', 5000, (m) => m.text.includes('/recover#')), 'recover');
    expect(errorCodes(await gql(a.httpUrl, RECOVER, { t: token, p: NEW_PASSWORD }))).toEqual(['SECOND_FACTOR_REQUIRED']);
    expect(await a.services.totp.isOn(frank.user.id)).toBe(true);
    expect(errorCodes(await gql(a.httpUrl, SIGN_IN, { username: 'frank', password: NEW_PASSWORD }))).toEqual(['SECOND_FACTOR_REQUIRED']);
  });

  it('without SMTP_URL: no addresses, and "Forgot password?" says to ask an admin', async () => {
    app = await startTestApp();
    const erin = await signUp(app.httpUrl, 'erin', PASSWORD);
    expect((await gql(app.httpUrl, AVAILABLE)).data).toEqual({ emailRecoveryAvailable: false });
    expect(errorCodes(await gql(app.httpUrl, SET_EMAIL, { a: 'erin@example.org' }, erin.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await forgot(app.httpUrl, 'erin'))).toEqual(['BAD_USER_INPUT']);
  });
});
