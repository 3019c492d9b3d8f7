// Finding, and when allowed creating, the user an identifier addresses.
import type { Identifier } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";

/**
 * The user `identifier` addresses. Several users sharing an email or phone: the
 * most recently updated one with an external_id, else the most recently
 * updated one (Braze's rule for email, https://www.braze.com/docs/api/endpoints/user_data/post_user_track/;
 * phone follows it, as Braze applies one rule to both; docs/braze-rules.md).
 */
export function findUser(store: WorkspaceStore, identifier: Identifier): StoredUser | undefined {
  switch (identifier.kind) {
    case "external_id":
      return store.findByExternalId(identifier.value);
    case "user_alias":
      return store.findByAlias(identifier.alias);
    case "braze_id":
      return store.findByBrazeId(identifier.value);
    case "email":
      return store.findByEmail(identifier.value)[0];
    case "phone":
      return store.findByPhone(identifier.value)[0];
    default: {
      const unknownIdentifier: never = identifier;
      throw new Error(`unknown identifier ${JSON.stringify(unknownIdentifier)}`);
    }
  }
}

/**
 * Creates the profile `identifier` names: an identified user for an
 * external_id, an alias-only user for an alias, an email-only or phone-only
 * user (no alias is created). A braze_id is assigned by Braze and never
 * creates anyone; the caller checks that.
 */
export function createUser(store: WorkspaceStore, identifier: Identifier, now: string): StoredUser {
  const user = store.createUser(now);
  switch (identifier.kind) {
    case "external_id":
      user.profile.external_id = identifier.value;
      break;
    case "user_alias":
      store.addAlias(user, identifier.alias);
      break;
    case "email":
      user.profile.standard.email = identifier.value;
      break;
    case "phone":
      user.profile.standard.phone = identifier.value;
      break;
    case "braze_id":
      throw new Error("a braze_id never creates a user");
    default: {
      const unknownIdentifier: never = identifier;
      throw new Error(`unknown identifier ${JSON.stringify(unknownIdentifier)}`);
    }
  }
  return user;
}

/**
 * Whether an object of /users/track may create the user it names when nobody
 * has that identifier. `_update_existing_only` defaults to false for an
 * external_id, email or phone; an alias-only user is created only when an
 * attributes object says `"_update_existing_only": false` explicitly, and
 * events and purchases never create one ("always true" with a user_alias).
 */
export function mayCreate(identifier: Identifier, updateExistingOnly: boolean | undefined, array: "attributes" | "events" | "purchases"): boolean {
  switch (identifier.kind) {
    case "braze_id":
      return false;
    case "user_alias":
      return array === "attributes" && updateExistingOnly === false;
    case "external_id":
    case "email":
    case "phone":
      return updateExistingOnly !== true;
    default: {
      const unknownIdentifier: never = identifier;
      throw new Error(`unknown identifier ${JSON.stringify(unknownIdentifier)}`);
    }
  }
}
