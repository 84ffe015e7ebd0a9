/** "Try again in 9 minutes", not "Try again in 538 s": seconds only under a minute, always rounded up. */
export function retryAfterText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `Try again in ${s} ${s === 1 ? 'second' : 'seconds'}.`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 90) return `Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
  const hours = Math.ceil(minutes / 60);
  return `Try again in ${hours} hours.`;
}

/** The server's own "Try again in 538 s." (or "retry in 538 s"), replaced by the wording above. */
export function withRetryAfter(message: string, seconds: number): string {
  const stripped = message.replace(/\s*(?:Try again|retry) in \d+\s*s(?:econds?)?\.?/gi, '').trim();
  return `${stripped} ${retryAfterText(seconds)}`;
}
