// The workspace's limits the root program checks a desired-state file against,
// from stack config. Pure: the config reader is an argument.
import { DEFAULT_STRING_ARRAY_MAX_ITEMS } from "../../braze-facts/limits";
import { STRING_ARRAY_MAX_ITEMS_KEY, type WorkspaceLimits } from "../desired-state/string-array-findings";
import { type ConfigReader, wholeNumber } from "./settings";

/**
 * `braze:stringArrayMaxItems`: the most items the workspace keeps per string
 * array attribute (Braze's default is 500; older workspaces keep 25 or 100).
 * @throws SettingsError when it is set to anything but a whole number from 1.
 */
export function resolveWorkspaceLimits(config: ConfigReader): Required<WorkspaceLimits> {
  const stringArrayMaxItems =
    wholeNumber(config, STRING_ARRAY_MAX_ITEMS_KEY, "the most items your Braze workspace keeps per string array attribute; Braze's default is 500", 1) ??
    DEFAULT_STRING_ARRAY_MAX_ITEMS;
  return { stringArrayMaxItems };
}
