/** The arithmetic of a staged rollout, kept apart so it is tested without a fleet. */
import { createHash } from 'node:crypto';

export const MAX_STAGES = 10;

/** Null when valid, else what is wrong: 1-10 ascending whole percentages ending at 100. */
export function stagesProblem(stages: readonly number[]): string | null {
  if (stages.length === 0 || stages.length > MAX_STAGES) return `give 1 to ${MAX_STAGES} stages`;
  if (!stages.every((p) => Number.isInteger(p) && p >= 1 && p <= 100)) return 'each stage is a whole percentage from 1 to 100';
  if (!stages.every((p, i) => i === 0 || p > (stages[i - 1] ?? 0))) return 'stages must be strictly ascending';
  if (stages[stages.length - 1] !== 100) return 'the last stage must be 100';
  return null;
}

/** How many locks of `population` a stage of `percent` covers (at least one once there are any). */
export function stageTarget(population: number, percent: number): number {
  return Math.ceil((population * percent) / 100);
}

/** Whether failures are above the allowed share of the updates sent so far. */
export function failuresExceed(failed: number, sent: number, maxFailurePercent: number): boolean {
  return sent > 0 && failed * 100 > maxFailurePercent * sent;
}

/** A fixed order per rollout that spreads stages over the fleet (not alphabetical runs of ids). */
export function rolloutOrder(rolloutId: string, deviceIds: readonly string[]): string[] {
  const rank = (id: string) => createHash('sha256').update(`${rolloutId}:${id}`).digest('hex');
  return [...deviceIds].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}
