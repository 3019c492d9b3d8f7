// A Pulumi project of your own that uses pulumi-braze-profiles: the personas of
// users.yaml as one BrazeUserSet, and one more user declared in code.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BrazeUser, brazeUserSetFromFile } from "pulumi-braze-profiles";

// A file of users is one resource, however many users it lists. Keep the name
// ("personas") stable: a set under a new name is a new resource.
const personas = brazeUserSetFromFile("personas", path.join(pulumi.getRootDirectory(), "users.yaml"));

// A user built in code: the standard attributes are typed, so `tsc` and the
// editor catch `email_subscribe: "yes"`; custom attributes (on_call) are open.
const releaseManager = new BrazeUser("release-manager", {
  alias: { name: "release-manager", label: "qa-personas" },
  attributes: { first_name: "Rita", email: "rita@example.com", email_subscribe: "opted_in", on_call: true },
  subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed" },
});

export const personaCount = personas.userCount;
export const releaseManagerAlias = releaseManager.alias.name;
