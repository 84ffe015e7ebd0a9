/**
 * Password strength by estimated guesses (zxcvbn-ts with its common-password, English word and
 * name dictionaries), not composition rules (NIST SP 800-63B 5.1.1.2): a long phrase of plain
 * words passes, "Password1!" does not.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" online, slow offline). */
const MIN_SCORE = 3;
/** Characters past this are not estimated: matching is superlinear, and more length only helps. */
const ESTIMATED_LENGTH = 100;
/** zxcvbn tries every l33t reading of a password up to this many; digits-only input made the default (100) take seconds. */
const L33T_SUBSTITUTIONS = 8;
/** Words anyone attacking this service would try first. */
const SERVICE_WORDS = ['smartlock', 'smart lock', 'lock', 'unlock', 'door', 'front door', 'home'];

export interface StrengthVerdict {
  strong: boolean;
  /** What makes it weak, e.g. "This is a frequently used password." */
  warning: string | null;
  /** What to do instead. */
  suggestions: string[];
}

let estimator: ZxcvbnFactory | undefined;

function getEstimator(): ZxcvbnFactory {
  // Built on first use: loading the dictionaries takes a few hundred ms.
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
    maxLength: ESTIMATED_LENGTH,
    l33tMaxSubstitutions: L33T_SUBSTITUTIONS,
  });
  return estimator;
}

/**
 * Loads the dictionaries now (start-up) rather than in the first sign-up: that first check blocked
 * the event loop ~170 ms, long enough on a busy machine to look like overload (and shed heartbeats).
 */
export function prepareStrengthEstimator(): void {
  getEstimator().check('warm up the estimator');
}

/** `userInputs`: words the owner's own data gives away (the username), guessed first. */
export function estimateStrength(password: string, userInputs: string[] = []): StrengthVerdict {
  const result = getEstimator().check(password, [...userInputs, ...SERVICE_WORDS]);
  return { strong: result.score >= MIN_SCORE, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
