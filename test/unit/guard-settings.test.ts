// The guards' settings (provider/runtime/settings.ts): the budgets from stack
// config, one command's allowance from the environment only, likely renames.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveSettings } from "../../provider/runtime/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const settingsOf = (values: Record<string, string>, env: Record<string, string> = {}) => resolveSettings(config(values), env);

const Settings = suite("guard settings");

Settings("by default: 10 deletes, no data point limit, no allowance, likely renames refused, guards at preview", () => {
  const settings = settingsOf({});
  assert.equal(settings.budgets, { maxDeletes: 10, maxDataPoints: undefined, allowDeletes: undefined, allowDataPoints: undefined });
  assert.equal([settings.allowLikelyRenames, settings.guardsAtPreview], [false, true]);
});

Settings("one command's allowance comes from the environment, never from config", () => {
  const settings = settingsOf({ BRAZE_PROFILES_ALLOW_DELETES: "99" }, { BRAZE_PROFILES_ALLOW_DELETES: "21", BRAZE_PROFILES_ALLOW_DATA_POINTS: "500" });
  assert.equal([settings.budgets.allowDeletes, settings.budgets.allowDataPoints], [21, 500]);
  assert.is(settingsOf({ BRAZE_PROFILES_ALLOW_DELETES: "99" }).budgets.allowDeletes, undefined);
});

Settings("an allowance that is not a whole number fails naming the variable", () => {
  assert.throws(
    () => settingsOf({}, { BRAZE_PROFILES_ALLOW_DELETES: "all" }),
    (error: Error) => error.name === "SettingsError" && error.message.startsWith('BRAZE_PROFILES_ALLOW_DELETES: "all" is not a whole number from 0'),
  );
});

Settings("braze:allowLikelyRenames is true or false; braze-profiles plan's preview reports the guards", () => {
  assert.is(settingsOf({ "braze:allowLikelyRenames": "true" }).allowLikelyRenames, true);
  assert.is(settingsOf({ "braze:allowLikelyRenames": "false" }).allowLikelyRenames, false);
  assert.throws(
    () => settingsOf({ "braze:allowLikelyRenames": "yes" }),
    (error: Error) => error.message === 'braze:allowLikelyRenames: "yes" is not true or false; set it to true or false',
  );
  assert.is(settingsOf({}, { BRAZE_PROFILES_PLAN_PREVIEW: "1" }).guardsAtPreview, false);
});

Settings.run();
