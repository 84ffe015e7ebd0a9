/**
 * The browser side of passkeys: @simplewebauthn/browser turns the api's options (JSON text) into
 * navigator.credentials.create()/get() and the answer back into JSON text for the api. Imported
 * on first use, so the sign-in page's first load does not carry it.
 */

/** Whether this browser has WebAuthn at all (else the passkey buttons are not offered). */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

const browserLibrary = () => import('@simplewebauthn/browser');
type Library = Awaited<ReturnType<typeof browserLibrary>>;
type CreationOptions = Parameters<Library['startRegistration']>[0]['optionsJSON'];
type RequestOptions = Parameters<Library['startAuthentication']>[0]['optionsJSON'];

/** Makes a passkey from `passkeyRegistrationOptions`; the answer for `addPasskey`. */
export async function createPasskey(optionsJson: string): Promise<string> {
  const { startRegistration } = await browserLibrary();
  return JSON.stringify(await startRegistration({ optionsJSON: JSON.parse(optionsJson) as CreationOptions }));
}

/** Uses a passkey to answer sign-in, second-factor or step-up options. */
export async function answerWithPasskey(optionsJson: string): Promise<string> {
  const { startAuthentication } = await browserLibrary();
  return JSON.stringify(await startAuthentication({ optionsJSON: JSON.parse(optionsJson) as RequestOptions }));
}

/** What to tell the person when the browser's passkey prompt fails or is dismissed. */
export function passkeyProblem(error: unknown): string | null {
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) return 'No passkey was used (the prompt was closed or timed out).';
  if (error instanceof Error && error.name === 'InvalidStateError') return 'This device already holds one of your passkeys.';
  return null;
}
