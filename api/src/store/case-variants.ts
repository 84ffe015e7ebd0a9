/** Usernames equal but for case, grouped and sorted (each group has two or more names). Sign-in lower-cases typed names, so at most one of a group can sign in. */
export function caseVariantGroups(usernames: readonly string[]): string[][] {
  const byLower = new Map<string, string[]>();
  for (const name of usernames) byLower.set(name.toLowerCase(), [...(byLower.get(name.toLowerCase()) ?? []), name]);
  return [...byLower.values()].filter((group) => group.length > 1).map((group) => group.sort());
}
