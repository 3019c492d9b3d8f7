// What the serialized BrazeUserSet provider loads by package name at run time
// ("pulumi-braze-profiles/provider-runtime/user-set"): the methods of a
// pulumi.dynamic.ResourceProvider, forwarding to UserSetProvider. Module state is
// shared with the BrazeUser runtime (./configured, ./declared-aliases), since one
// provider process serves every dynamic resource of an operation.
//
// Every export is called by provider text stored in users' state, which delete and
// refresh run long after an upgrade: once released, never rename or remove one.
import type * as pulumi from "@pulumi/pulumi";
import { applySdkPatches } from "../pulumi-wire/apply-sdk-patches";
import { urnOfDiff, withDetailedDiff } from "../pulumi-wire/detailed-diff";
import { engineLog } from "../pulumi-wire/engine-log";
import { reportedOnce } from "../pulumi-wire/reported-once";
import { configureApi, configuredApi } from "./configured";
import { reportingPartialFailure } from "./partial-failure";
import { UserSetProvider } from "./user-set-provider";
import { resourceName } from "./user-set-state";

type Methods = Required<pulumi.dynamic.ResourceProvider>;

// The provider reads the set's inputs at check, diff and update, and writes them
// back at check: see protobuf-strings.ts. Diff and update also carry the old
// inputs, which nothing reads: see unread-old-inputs.ts. A request's raw bytes
// are let go once it is read (received-chunks.ts), and read without a copy
// first, as answers are written (uncopied-messages.ts). Diff answers name the
// properties a person should read (detailed-diff.ts). Each patch that does not
// fit the installed SDK is skipped, and BRAZE_PROFILES_SDK_PATCHES=off skips all
// (apply-sdk-patches.ts).
applySdkPatches();

let provider: UserSetProvider | undefined;

function setProvider(): UserSetProvider {
  const { api, settings } = configuredApi();
  provider ??= new UserSetProvider(api, settings);
  return provider;
}

export const configure: Methods["configure"] = async (request) => {
  const { api, settings } = configureApi(request.config);
  provider = new UserSetProvider(api, settings);
};
export const check: Methods["check"] = reportedOnce(async (olds, news) => setProvider().check(olds, news));
export const diff: Methods["diff"] = reportedOnce(async (_id, olds, news) => {
  const { shown, summary, ...answer } = await setProvider().diff(olds, news);
  // Under the resource, so plain `pulumi preview` and `pulumi refresh` name the users too.
  if (summary) engineLog("info", summary.join("\n"), urnOfDiff(olds));
  return shown ? withDetailedDiff(answer, shown) : answer;
});
export const create: Methods["create"] = async (inputs) => reportingPartialFailure(inputs, () => setProvider().create(inputs));
export const update: Methods["update"] = async (id, olds, news) => reportingPartialFailure(news, () => setProvider().update(id, olds, news));
export const read: Methods["read"] = reportedOnce(async (id, props) => {
  const { groupsUnread, ...answer } = await setProvider().read(id, props);
  // Printed by `pulumi refresh` (and a refreshing preview).
  if (groupsUnread) engineLog("warning", `${resourceName(answer.props.name)}: ${groupsUnread}`);
  return answer;
});
// `delete` is a reserved word, so it cannot be declared under its own name.
const deleteSet: Methods["delete"] = reportedOnce(async (_id, props) => setProvider().delete(props));
export { deleteSet as delete };
