// The Pulumi resource for many alias-only Braze users at once. One resource, so a
// run costs the engine a step or two whatever the number of users, where one
// resource per user costs a checkpoint write per user (docs/internals.md). Each
// user is one canonical text (encoding/user-text.ts), and the texts travel in 256 shards by a hash
// of the user's key (encoding/user-shards.ts): the engine handles a few hundred
// strings cheaply, and `pulumi preview --diff` still shows them parsed, key by key.
// The program sends the shards packed, and the provider's check gives the engine
// them whole (pulumi-wire/packed-shards.ts).
import * as pulumi from "@pulumi/pulumi";
import { shardTexts } from "./encoding/user-shards";
import { memberTexts, type BrazeUserSetMember } from "./desired-state/member-texts";
import { RESOURCE_MODULE, USER_SET_TYPE_NAME } from "./resource-types";
import { collectAfterDeclaring } from "./program-memory";
import { packOrder, packShards } from "./pulumi-wire/packed-shards";
import { useNativeProtobufStrings } from "./pulumi-wire/protobuf-strings";
import type { UserSetOutputs } from "./runtime/user-set-provider";

export { asValidatedMembers, memberKey, memberTexts, type BrazeUserSetMember, type ValidatedMember } from "./desired-state/member-texts";

export interface BrazeUserSetArgs {
  /** The users; their keys (or aliases, for users without a key) must be unique. */
  users: pulumi.Input<BrazeUserSetMember[]>;
}

/**
 * Member lists that stand for texts already computed and checked (by the
 * desired-state file reading, desired-state/file-texts.ts): the constructor
 * takes their texts as they are.
 */
const checkedTexts = new WeakMap<readonly BrazeUserSetMember[], Record<string, string>>();

/** Arguments of a BrazeUserSet whose users are these texts by key, as memberTexts would compute and check them. */
export function argsOfCheckedTexts(texts: Record<string, string>): BrazeUserSetArgs {
  const users: BrazeUserSetMember[] = [];
  checkedTexts.set(users, texts);
  return { users };
}

/**
 * Loads provider/runtime/user-set by package name from the program's folder, as
 * BrazeUser's provider does (see user-resource.ts for why).
 */
const runtime = (): typeof import("./runtime/user-set") =>
  require("node:module").createRequire(require("node:path").join(process.cwd(), "package.json"))("pulumi-braze-profiles/provider-runtime/user-set");

/** Every method only forwards its arguments, so the text Pulumi stores with the set stays small. Exported for the serialization test only. */
export const userSetResourceProvider: Required<pulumi.dynamic.ResourceProvider> = {
  configure: (...args) => runtime().configure(...args),
  check: (...args) => runtime().check(...args),
  diff: (...args) => runtime().diff(...args),
  create: (...args) => runtime().create(...args),
  update: (...args) => runtime().update(...args),
  delete: (...args) => runtime().delete(...args),
  read: (...args) => runtime().read(...args),
};

/**
 * Many alias-only Braze users in one resource. Its provider diffs user by user
 * and sends every change of a run at once; a user Braze rejects fails the update
 * by name while the rest are recorded; refresh reads the users back in exports
 * of 50 aliases.
 */
export class BrazeUserSet extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  /** Users recorded as held by Braze. */
  declare readonly userCount: pulumi.Output<number>;
  /** User key -> why it is not yet known to be as desired; the next up sends it again. */
  declare readonly pending: pulumi.Output<Record<string, string>>;
  /** After a refresh that found drift: user key -> part path -> "Braze holds X, the file wants Y". */
  declare readonly drift: pulumi.Output<Record<string, Record<string, string>> | undefined>;
  /** User key -> events and purchases (`events.<id>`) this up forgot because they left the file; nothing was sent for them. */
  declare readonly forgotten: pulumi.Output<Record<string, string[]> | undefined>;

  constructor(name: string, args: BrazeUserSetArgs, opts?: pulumi.CustomResourceOptions) {
    // The program sends every user's text to the engine (see protobuf-strings.ts);
    // here, not at import, so a program without sets keeps the SDK as shipped.
    useNativeProtobufStrings();
    // A plain array is serialized at once: pulumi.output() would walk every value of 100,000 users.
    // The keys in file order go along, so the preview lists changed users in that order (delta/set-changes.ts).
    const packed = (texts: Record<string, string>) => ({ packedShards: packShards(shardTexts(texts)), packedOrder: packOrder(Object.keys(texts)) });
    let packedShards: pulumi.Input<Record<string, string>>;
    let packedOrder: pulumi.Input<string>;
    if (Array.isArray(args.users)) {
      ({ packedShards, packedOrder } = packed(checkedTexts.get(args.users as BrazeUserSetMember[]) ?? memberTexts(name, args.users as BrazeUserSetMember[])));
    } else {
      const sent = pulumi.output(args.users).apply((members) => packed(memberTexts(name, members)));
      packedShards = sent.packedShards;
      packedOrder = sent.packedOrder;
    }
    const outputs: { [key in Exclude<keyof UserSetOutputs, "name">]: undefined } = {
      record: undefined,
      userCount: undefined,
      pending: undefined,
      drift: undefined,
      forgotten: undefined,
      inSyncWith: undefined,
    };
    // Whether this run is a preview: the provider's Diff is its only call then, so it refuses there what
    // an up's update would; in an up its Diff cannot yet see the resources declared after this set (the
    // engine diffs each before registering the next), so it leaves the guards to the update. Check drops it.
    const preview = pulumi.runtime.isDryRun();
    super(userSetResourceProvider, name, { name, packedShards, packedOrder, preview, ...outputs }, opts, RESOURCE_MODULE, USER_SET_TYPE_NAME);
    collectAfterDeclaring();
  }
}
