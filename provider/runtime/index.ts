// What the serialized dynamic provider loads by package name at run time
// ("pulumi-braze-profiles/provider-runtime"). Its exports are the methods of a
// pulumi.dynamic.ResourceProvider, so the serialized object only forwards its
// arguments and stays as short as Pulumi's closure serializer allows. Module state
// here is shared by every resource in the provider process, which is what lets one
// batcher coalesce them.
//
// Every export is called by provider text stored in users' state, which delete and
// refresh run long after an upgrade: once released, never rename or remove one.
// (No release has shipped the earlier text, which called userProvider().create(…).)
import type * as pulumi from "@pulumi/pulumi";
import { engineLog } from "../pulumi-wire/engine-log";
import { reportedOnce } from "../pulumi-wire/reported-once";
import { RunDeletes } from "../delta";
import { type Configured, configureApi, configuredApi } from "./configured";
import { reportingPartialFailure } from "./partial-failure";
import { UserProvider } from "./user-provider";

type Methods = Required<pulumi.dynamic.ResourceProvider>;

let provider: UserProvider | undefined;
/**
 * The BrazeUser deletes of this run, against braze:maxDeletes: the engine starts
 * one provider process per operation (preview and update each their own), and
 * it serves every resource of that operation.
 */
const runDeletes = new RunDeletes();

function providerOf({ api, settings }: Configured): UserProvider {
  return new UserProvider(api, { budgets: settings.budgets, guardsAtPreview: settings.guardsAtPreview, deletes: runDeletes });
}

/** The configured provider; configures from the environment alone when the engine sent no config. */
function userProvider(): UserProvider {
  provider ??= providerOf(configuredApi());
  return provider;
}

/** Called once per provider process with the stack config (`braze:*`); secrets arrive as plaintext here and stay here. */
export const configure: Methods["configure"] = async (request) => {
  provider = providerOf(configureApi(request.config));
};
export const check: Methods["check"] = reportedOnce(async (_olds, news) => userProvider().check(news));
export const diff: Methods["diff"] = reportedOnce(async (_id, olds, news) => userProvider().diff(olds, news));
export const create: Methods["create"] = async (inputs) => reportingPartialFailure(inputs, () => userProvider().create(inputs));
export const update: Methods["update"] = async (id, olds, news) => reportingPartialFailure(news, () => userProvider().update(id, olds, news));
export const read: Methods["read"] = reportedOnce(async (id, props) => {
  const { groupsUnread, ...answer } = await userProvider().read(id, props);
  // Printed by `pulumi refresh` (and a refreshing preview), as a set's.
  if (groupsUnread) engineLog("warning", groupsUnread);
  return answer;
});
// `delete` is a reserved word, so it cannot be declared under its own name.
const deleteUser: Methods["delete"] = reportedOnce(async (_id, props) => userProvider().delete(props));
export { deleteUser as delete };
