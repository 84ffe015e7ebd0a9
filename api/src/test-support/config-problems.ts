/** What parseConfig refuses in `env`, one line per problem (empty when it accepts it). */
import { ConfigError, parseConfig } from '../config/config.js';

export function configProblems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
