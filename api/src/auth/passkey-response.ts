/**
 * A browser's WebAuthn answer arrives as the JSON text @simplewebauthn/browser produced. This
 * checks its outline (the library checks the rest) so that junk is a plain "did not work", never
 * an internal error.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** Far above any real answer (a few KB): the body limit bounds it too. */
const MAX_RESPONSE_LENGTH = 64_000;

function parsed(text: string): Record<string, unknown> | null {
  if (text.length > MAX_RESPONSE_LENGTH) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function hasStrings(value: unknown, keys: string[]): value is Record<string, string> {
  return typeof value === 'object' && value !== null && keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');
}

export function registrationResponse(text: string): RegistrationResponseJSON | null {
  const value = parsed(text);
  if (!value || !hasStrings(value, ['id', 'rawId', 'type']) || !hasStrings(value.response, ['clientDataJSON', 'attestationObject'])) return null;
  return { clientExtensionResults: {}, ...value } as unknown as RegistrationResponseJSON;
}

export function authenticationResponse(text: string): AuthenticationResponseJSON | null {
  const value = parsed(text);
  if (!value || !hasStrings(value, ['id', 'rawId', 'type']) || !hasStrings(value.response, ['clientDataJSON', 'authenticatorData', 'signature'])) return null;
  return { clientExtensionResults: {}, ...value } as unknown as AuthenticationResponseJSON;
}
