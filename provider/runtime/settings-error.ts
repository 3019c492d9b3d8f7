import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A provider setting (`braze:*` stack config, or the environment variable that
 * stands in for it) that cannot be used. `where` names the setting, the hint
 * says what value to give it.
 */
export class SettingsError extends BrazeProfilesError {
  override readonly name = "SettingsError";
}
