import { BrazeProfilesError } from "../../../errors/braze-profiles-error";
import type { ExternalIdRename } from "../wire-types";

/**
 * Braze answered a /users/external_ids/rename request but listed one rename in
 * `rename_errors` (the new id already in use, the current one unknown or
 * deprecated): only that user failed; the others were renamed.
 */
export class ExternalIdRenameError extends BrazeProfilesError {
  override readonly name = "ExternalIdRenameError";

  constructor(
    readonly rename: ExternalIdRename,
    /** Braze's error text. */
    readonly type: string,
  ) {
    super({
      where: "POST /users/external_ids/rename",
      what: `Braze refused renaming external_id ${JSON.stringify(rename.current_external_id)} to ${JSON.stringify(rename.new_external_id)}: ${type}`,
      hint: `if another Braze user holds ${JSON.stringify(rename.new_external_id)}, delete it or choose another external_id; or put ${JSON.stringify(rename.current_external_id)} back in the file. Then run "pulumi up" again`,
    });
  }
}
