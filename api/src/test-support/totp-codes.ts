/**
 * TOTP codes for tests that must not reuse the code that confirmed enrolment. The server accepts
 * one step either side of now (TOTP_WINDOW) and refuses any step not above the last one used, so
 * the next step's code is fresh and valid at once: no wait of up to 30 s for that step to begin.
 */
import { totp, TOTP_STEP_SECONDS, TOTP_WINDOW } from '../auth/totp.js';

const STEP_MS = TOTP_STEP_SECONDS * 1000;

/**
 * The code of the step after the current one, which the server takes as a step it has not used
 * yet. Throws if the window were ever narrowed to zero, so such a test fails instead of hanging.
 */
export function nextStepCode(secretBase32: string, now = Date.now()): string {
  if (TOTP_WINDOW < 1) throw new Error('TOTP_WINDOW is 0: the next step\'s code would be refused; wait for the step instead');
  return totp(secretBase32, now + STEP_MS);
}
