/**
 * Text that people set and others read (lock names, a lock's issue and firmware
 * text). Control characters (NUL, CR/LF, ANSI escapes) forge lines in logs and
 * terminals; format characters (bidi overrides, zero-width characters, BOM)
 * make one string look like another. Neither has a place in a name.
 */
import { BadUserInputError } from '../errors/graphql-errors.js';

/**
 * Cc (control), Cf (format), Cs (lone surrogate halves), Co (private use) and
 * the Unicode line and paragraph separators. Unassigned code points (Cn) are
 * allowed: which ones they are depends on the runtime's Unicode version, and
 * refusing them would refuse emoji newer than the server.
 */
const HIDDEN_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\u2028\u2029]/u;

export function hasHiddenOrControlCharacters(text: string): boolean {
  return HIDDEN_OR_CONTROL.test(text);
}

/** Trimmed and NFC-normalised display text of 1–`max` characters, or BAD_USER_INPUT naming the field. */
export function cleanDisplayText(raw: string, field: string, label: string, max: number): string {
  if (hasHiddenOrControlCharacters(raw)) {
    throw new BadUserInputError(`${label} must not contain invisible or control characters (line breaks, tabs, direction overrides, zero-width characters).`, field);
  }
  // NFC: one spelling per visible name, so "Café" typed two ways is the same name and the same length.
  const text = raw.normalize('NFC').trim();
  if (text.length === 0 || text.length > max) throw new BadUserInputError(`${label} must be 1–${max} characters.`, field);
  return text;
}
