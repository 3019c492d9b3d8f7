// The provider's settings from stack config: the request cap as Braze states it,
// the rate-limit wait bound, and the endpoint rules (https unless on loopback,
// the development key only for a local server). Nothing else depends on
// whether the endpoint is local.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveSettings, type ProviderSettings } from "../../provider/runtime/settings";
import { SettingsError } from "../../provider/runtime/settings-error";

const REMOTE = { "braze:restEndpoint": "https://rest.iad-01.braze.com", "braze:apiKey": "key" };

function settings(config: Record<string, string>, env: Record<string, string> = {}): ProviderSettings {
  return resolveSettings({ get: (key) => config[key] }, env);
}

function refusal(config: Record<string, string>): string {
  try {
    settings(config);
  } catch (error) {
    assert.instance(error, SettingsError);
    return (error as Error).message;
  }
  return assert.unreachable("expected SettingsError") as never;
}

const Settings = suite("provider settings");

Settings("defaults: 50 objects combined, 300 s of rate-limit wait, the same for a local and a remote endpoint", () => {
  const remote = settings(REMOTE);
  const local = settings({});
  for (const resolved of [remote, local]) {
    assert.equal([resolved.maxObjectsPerRequest, resolved.capScope, resolved.maxRateLimitWaitMs], [50, "combined", 300_000]);
  }
  assert.equal(Object.keys(remote).sort(), Object.keys(local).sort(), "no setting exists only for one kind of endpoint");
});

Settings("a legacy contract's 75 per array, and a bound of 2 s", () => {
  const resolved = settings({ ...REMOTE, "braze:maxObjectsPerRequest": "75", "braze:objectCapScope": "per-array", "braze:maxRateLimitWaitSeconds": "2" });
  assert.equal([resolved.maxObjectsPerRequest, resolved.capScope, resolved.maxRateLimitWaitMs], [75, "per-array", 2_000]);
  assert.is(settings({ ...REMOTE, "braze:maxObjectsPerRequest": "75" }).capScope, "combined", "75 combined, today's default, can be configured");
});

Settings("refuses caps Braze does not have, saying what to set", () => {
  assert.is(
    refusal({ ...REMOTE, "braze:maxObjectsPerRequest": "225" }),
    "braze:maxObjectsPerRequest: \"225\" is more than 75, Braze's largest cap; set Braze's cap for your contract, from 1 to 75; for a legacy contract's 75 attributes, 75 events and 75 purchases per request, set 75 and braze:objectCapScope per-array",
  );
  assert.is(
    refusal({ ...REMOTE, "braze:maxObjectsPerRequest": "0" }),
    'braze:maxObjectsPerRequest: "0" is not a whole number from 1; set it to a whole number from 1 (objects per /users/track request)',
  );
  assert.is(
    refusal({ ...REMOTE, "braze:objectCapScope": "array" }),
    'braze:objectCapScope: "array" is not a way Braze counts its cap; set "combined" (braze:maxObjectsPerRequest counts attributes, events and purchases together) or "per-array" (it counts each array apart, as on legacy contracts)',
  );
  assert.is(
    refusal({ ...REMOTE, "braze:maxRateLimitWaitSeconds": "1.5" }),
    'braze:maxRateLimitWaitSeconds: "1.5" is not a whole number from 0; set it to a whole number from 0 (the longest wait for Braze\'s rate limit)',
  );
});

Settings("https for a remote endpoint, and the development key only for a local one", () => {
  assert.match(refusal({ "braze:restEndpoint": "http://rest.iad-01.braze.com", "braze:apiKey": "key" }), "does not use https");
  assert.match(refusal({ "braze:restEndpoint": "https://rest.iad-01.braze.com" }), "no Braze API key for https://rest.iad-01.braze.com");
  assert.is(settings({ "braze:restEndpoint": "http://127.0.0.1:4011" }).apiKey.length > 0, true);
});

Settings.run();
