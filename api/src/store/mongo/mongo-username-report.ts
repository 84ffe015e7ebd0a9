/**
 * Start-up report of usernames that differ only in case (`Alice` and `alice`): sign-in lower-cases
 * typed names, so only an all-lower-case one of them can sign in. Reported by name, never fixed here:
 * which account is the person's is the admin's call.
 */
import { caseVariantGroups } from '../case-variants.js';
import type { StartupWarnings } from './mongo-indexes.js';
import type { MongoModels } from './mongo-models.js';

export async function reportCaseVariantUsernames(users: MongoModels['users'], warnings: StartupWarnings): Promise<void> {
  // Names only; the users collection is small next to the locks and logs.
  const names = (await users.find({}, { username: 1 }).lean<{ username: string }[]>()).map((doc) => doc.username);
  for (const group of caseVariantGroups(names)) {
    warnings.warn(
      { usernames: group },
      `MongoDB users: usernames ${group.map((name) => `"${name}"`).join(', ')} differ only in case; sign-in matches the lower-case name only, rename the others (docs/migrating-from-flask.md)`,
    );
  }
}
