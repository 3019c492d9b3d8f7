import { BrazeProfilesError } from "../../../errors/braze-profiles-error";
import type { LikelyRename } from "../../delta/likely-renames";

/**
 * A set's plan deletes a user and creates another that look like one user
 * renamed without a stable key (../../delta/likely-renames.ts), so nothing of
 * it is sent unless `braze:allowLikelyRenames` is true: such a pair loses the
 * old profile and its logged history.
 */
export class LikelyRenameError extends BrazeProfilesError {
  override readonly name = "LikelyRenameError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly renames: readonly LikelyRename[],
  ) {
    super({
      where: resource,
      what: `nothing was sent: ${renames.length === 1 ? "a deleted and a created user look" : `${renames.length} pairs of a deleted and a created user look`} like one user renamed without a key`,
      hint: 'if they are different users, run "pulumi config set braze:allowLikelyRenames true" and then "pulumi up"',
      details: renames.map((rename) => rename.note),
    });
  }
}
