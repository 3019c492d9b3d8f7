// A user's stored text (provider/encoding/stored-text.ts) leaves out the alias its
// key spells and gives it back exactly; a text whose key spells another alias,
// or none, and a JSON text of an earlier stack keep theirs; the alias key comes
// from the key when the text leaves the alias out.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { identityKeyOfStored, fullText, isStoredText, memberOfStored, storedText, userOfStored } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";

const Stored = suite("stored text");

const text = (label: string, name: string, attributes: Record<string, unknown> = {}, subscriptionGroups: Record<string, string> = {}) =>
  memberToText({
    user: { alias: { label, name }, attributes: attributes as never, subscriptionGroups: subscriptionGroups as never },
    entries: { events: {}, purchases: {} },
  });

Stored("the alias the key spells is left out, and given back character for character", () => {
  const cases: Array<[key: string, canonical: string, stored: string]> = [
    ["qa/ada", text("qa", "ada", { plan: "pro" }), "{attributes: {plan: pro}}"],
    ["qa/ada", text("qa", "ada"), "{}"],
    ["qa/ada", text("qa", "ada", {}, { "grp-1": "subscribed" }), "{subscription_groups: {grp-1: subscribed}}"],
    ["qa/a/b", text("qa", "a/b", { count: 1 }), "{attributes: {count: 1}}"],
    ['q "a"/é 😀', text('q "a"', "é 😀", { count: 1 }), "{attributes: {count: 1}}"],
  ];
  for (const [key, canonical, stored] of cases) {
    assert.is(storedText(key, canonical), stored, key);
    assert.is(storedText(key, stored), stored, "a stored text stays as it is");
    assert.is(fullText(key, stored), canonical, key);
    assert.ok(isStoredText(key, stored));
    assert.is(identityKeyOfStored(key, stored), key);
  }
  assert.equal(userOfStored("qa/ada", "{attributes: {plan: pro}}"), {
    alias: { label: "qa", name: "ada" },
    attributes: { plan: "pro" },
    subscriptionGroups: {},
  });
  assert.equal(memberOfStored("qa/ada", "{}").entries, { events: {}, purchases: {} });
});

Stored("a text keeps its alias when the key spells another one, or none, and a JSON text keeps its own", () => {
  const other = text("qa", "bob", { count: 1 });
  assert.is(storedText("qa/ada", other), other);
  assert.is(storedText("ada-1", text("qa", "ada")), text("qa", "ada"));
  assert.is(storedText("qa/a", text("qa", "ab")), text("qa", "ab"), "a name the key only begins");
  const json = JSON.stringify({ alias: { label: "qa", name: "ada" }, attributes: { count: 1 } });
  assert.is(storedText("qa/ada", json), json);
  for (const [key, kept] of [
    ["qa/ada", other],
    ["ada-1", text("qa", "ada")],
    ["qa/ada", json],
  ]) {
    assert.is(fullText(key, kept), kept);
    assert.is(identityKeyOfStored(key, kept), key === "qa/ada" && kept === other ? "qa/bob" : "qa/ada");
  }
});

Stored("a text without its alias under a key that spells none is refused by name", () => {
  assert.not.ok(isStoredText("ada-1", "{}"));
  assert.throws(() => fullText("ada-1", "{}"), /^user ada-1 has no alias: its text leaves it out, and its key spells none$/);
  assert.throws(() => identityKeyOfStored("ada-1", "{attributes: {count: 1}}"), /^user ada-1 has no alias/);
});

Stored.run();
