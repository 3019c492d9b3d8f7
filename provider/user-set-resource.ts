// The Pulumi resource for many alias-only Braze users at once. One resource, so a
// run costs the engine a step or two whatever the number of users, where one
// resource per user costs a checkpoint write per user (pulumi-notes §E). Each
// user is one canonical text (delta/user-text.ts), and the texts travel in 256 shards by a hash
// of the user's key (delta/user-shards.ts): the engine handles a few hundred
// strings cheaply, and `pulumi preview --diff` still shows them parsed, key by key.
import * as pulumi from "@pulumi/pulumi";
import { aliasKey, type AttributeValue, type ManagedUser, type SubscriptionState, type UserAlias } from "./delta";
import { formatPropertyPath } from "./delta/property-path";
import type { EventEntry, PurchaseEntry, UserEntries } from "./delta/entries";
import { shardTexts } from "./delta/user-shards";
import { collectAfterDeclaring } from "./program-memory";
import { memberToText } from "./delta/user-text";
import { toManagedAttributes, type UserAttributes } from "./desired-state";
import { entryProblems, userProblems } from "./desired-state/user-problems";
import { useNativeProtobufStrings } from "./pulumi-wire/protobuf-strings";
import type { UserSetOutputs } from "./runtime/user-set-provider";

/** One user of a set: the BrazeUser fields, plus an optional stable key. */
export interface BrazeUserSetMember {
  /** Stable key of the user in the set (lets the alias be renamed in place). @default `label/name` of the alias */
  key?: string;
  alias: UserAlias;
  /** Braze attribute names to the values the user must hold: standard fields typed precisely, custom attributes open. */
  attributes?: UserAttributes;
  /** Subscription group id to state. */
  subscriptionGroups?: Record<string, SubscriptionState>;
  /** Custom attribute names one slip away from a standard field that are meant (see BrazeUserArgs). */
  intendedCustomAttributes?: string[];
  /**
   * Custom events, each logged once: the first time an up sees its `id` (never
   * sent to Braze; unique across the user's events and purchases). Changing a
   * logged one fails the up; removing one sends nothing (Braze keeps it).
   */
  events?: Array<{ id: string } & EventEntry>;
  /** Purchases, each logged once, as `events`. */
  purchases?: Array<{ id: string } & PurchaseEntry>;
}

export interface BrazeUserSetArgs {
  /** The users; their keys (or aliases, for users without a key) must be unique. */
  users: pulumi.Input<BrazeUserSetMember[]>;
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

/** The key a member is stored under: its own, else its alias as `label/name`. */
export function memberKey(member: Pick<BrazeUserSetMember, "key" | "alias">): string {
  return member.key ?? aliasKey(member.alias);
}

/**
 * Member lists already validated against the schema (by the desired-state
 * loader): validating 100,000 users again would cost seconds for nothing.
 */
const validatedMembers = new WeakSet<readonly BrazeUserSetMember[]>();

/** A member whose attributes the loader already checked and converted (the delta's form). */
export type ValidatedMember = Omit<BrazeUserSetMember, "attributes"> & { attributes: Record<string, AttributeValue> };

/** Marks a member list as validated by the desired-state loader; for brazeUserSetFromDesiredState. */
export function asValidatedMembers(members: ValidatedMember[]): BrazeUserSetMember[] {
  const typed = members as unknown as BrazeUserSetMember[];
  validatedMembers.add(typed);
  return typed;
}

/**
 * Each member as one canonical text (delta/user-text.ts), by key, validated with the desired-state
 * schema's rules unless the loader already did. Validation happens here, in the
 * program, so a mistake stops the program before anything is declared or sent.
 * @throws Error listing every problem (a key used twice, a value Braze would refuse).
 */
export function memberTexts(name: string, members: readonly BrazeUserSetMember[]): Record<string, string> {
  const texts: Record<string, string> = {};
  const problems: string[] = [];
  const validate = !validatedMembers.has(members);
  for (const member of members) {
    const key = memberKey(member);
    const place = formatPropertyPath(["users", key]);
    if (Object.prototype.hasOwnProperty.call(texts, key)) {
      problems.push(`${place}: two users have this key; give each user its own key (or alias)`);
      continue;
    }
    const attributes = validate ? toManagedAttributes(member.attributes ?? {}) : ((member.attributes ?? {}) as Record<string, AttributeValue>);
    const user: ManagedUser = { alias: member.alias, attributes, subscriptionGroups: member.subscriptionGroups ?? {} };
    if (validate) {
      for (const problem of userProblems(user, { intendedCustomAttributes: member.intendedCustomAttributes })) {
        problems.push(`${place}.${problem.property}: ${problem.message}`);
      }
      // Events and purchases by the file's rules (the loader checked a file's already).
      const entryFindings = entryProblems({ events: member.events as never, purchases: member.purchases as never });
      for (const problem of entryFindings) problems.push(`${place}.${problem.property}: ${problem.message}`);
      if (entryFindings.length > 0) continue;
    }
    const entries = entriesOf(member, (problem) => problems.push(`${place}.${problem}`));
    texts[key] = memberToText({ user, entries });
  }
  if (problems.length > 0) throw new Error(`BrazeUserSet "${name}": ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}\n${problems.join("\n")}`);
  return texts;
}

/**
 * A member's events and purchases keyed by id, as the user's text holds them.
 * The loader has validated their values; here only what keying needs is
 * checked: each id present and used once across the user's events and purchases.
 */
function entriesOf(member: BrazeUserSetMember, problem: (text: string) => void): UserEntries {
  const entries: UserEntries = { events: {}, purchases: {} };
  const seen = new Set<string>();
  for (const field of ["events", "purchases"] as const) {
    (member[field] ?? []).forEach((declared, index) => {
      const { id, ...entry } = declared as unknown as { id: unknown } & Record<string, unknown>;
      if (typeof id !== "string" || id === "") return problem(`${field}[${index}].id: needs an id, a non-empty string that names this ${field === "events" ? "event" : "purchase"} for good`);
      if (seen.has(id)) return problem(`${field}[${index}].id: "${id}" is used twice; each id is unique across the user's events and purchases`);
      seen.add(id);
      (entries[field] as Record<string, unknown>)[id] = entry;
    });
  }
  return entries;
}

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
  /** After a refresh that found drift: user key -> what Braze held differently. */
  declare readonly drift: pulumi.Output<Record<string, string[]> | undefined>;
  /** User key -> events and purchases (`events.<id>`) this up forgot because they left the file; nothing was sent for them. */
  declare readonly forgotten: pulumi.Output<Record<string, string[]> | undefined>;

  constructor(name: string, args: BrazeUserSetArgs, opts?: pulumi.CustomResourceOptions) {
    // The program sends every user's text to the engine (see protobuf-strings.ts);
    // here, not at import, so a program without sets keeps the SDK as shipped.
    useNativeProtobufStrings();
    // A plain array is serialized at once: pulumi.output() would walk every value of 100,000 users.
    const shards = Array.isArray(args.users)
      ? shardTexts(memberTexts(name, args.users as BrazeUserSetMember[]))
      : pulumi.output(args.users).apply((members) => shardTexts(memberTexts(name, members)));
    const outputs: { [key in Exclude<keyof UserSetOutputs, "name">]: undefined } = { record: undefined, userCount: undefined, pending: undefined, drift: undefined, forgotten: undefined, inSyncWith: undefined };
    super(userSetResourceProvider, name, { name, shards, ...outputs }, opts, "braze", "UserSet");
    collectAfterDeclaring();
  }
}
