// Users of a set as the canonical texts its inputs carry (../encoding/user-text.ts),
// by key: what BrazeUserSet's constructor computes in the program, and what the
// desired-state file reading computes in parallel (file-texts.ts).
// Pulumi-free, so a worker thread can load it without the SDK.
import { defaultKey, type AttributeValue, type ManagedUser, type SubscriptionState, type UserAlias } from "../model";
import type { EventEntry, PurchaseEntry, UserEntries } from "../model/entries";
import { formatPropertyPath } from "../model/property-path";
import { memberToText } from "../encoding/user-text";
import type { DesiredState } from "./desired-state";
import { sameProfileFindings } from "./address-findings";
import { RELATED_PLACE, type Segment } from "./schema-issues";
import { toManagedAttributes, type UserAttributes } from "./user-attributes";
import { entryProblems, userProblems } from "./user-problems";
import { UserSetMembersError } from "./user-set-members-error";

/** One user of a set: the BrazeUser fields, plus an optional stable key. */
export interface BrazeUserSetMember {
  /** Stable key of the user in the set (lets the alias be renamed in place). @default the external_id, else `label/name` of the alias */
  key?: string;
  /** Braze's external_id: the user is the identified profile with this id (an alias, if any, is attached to it). */
  externalId?: string;
  /** The user's alias; one of externalId, alias, email and phone is required. */
  alias?: UserAlias;
  /** The address of an email-only user (without externalId and alias; beside them, use attributes.email). */
  email?: string;
  /** The E.164 number of a phone-only user (without externalId, alias and email; beside them, use attributes.phone). */
  phone?: string;
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
  /**
   * Take over a user Braze may already hold: the first up reads it
   * (/users/export/ids) and sends only what differs; a user Braze does not
   * hold is created. Changes nothing once the user is recorded.
   * @default false
   */
  adopt?: boolean;
}

/** The key a member is stored under: its own, else its external_id, else its alias as `label/name`, else its email or phone. */
export function memberKey(member: Pick<BrazeUserSetMember, "key" | "externalId" | "alias" | "email" | "phone">): string {
  return member.key ?? defaultKey(member);
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
 * Each member as one canonical text (../encoding/user-text.ts), by key, validated with the desired-state
 * schema's rules unless the loader already did. Validation happens here, in the
 * program, so a mistake stops the program before anything is declared or sent.
 * @throws Error listing every problem (a key used twice, a value Braze would refuse).
 */
export function memberTexts(name: string, members: readonly BrazeUserSetMember[]): Record<string, string> {
  const texts: Record<string, string> = {};
  const problems: string[] = [];
  const validate = !validatedMembers.has(members);
  for (const [index, member] of members.entries()) {
    if (member.externalId === undefined && member.alias === undefined && member.email === undefined && member.phone === undefined) {
      // No key to name it by: the schema's own message for a user without an identifier, at its place in the list.
      const place = formatPropertyPath(["users", member.key ?? index]);
      for (const problem of userProblems({ attributes: {}, subscriptionGroups: {} }))
        problems.push(`${place}${problem.property ? `.${problem.property}` : ""}: ${problem.message}`);
      continue;
    }
    const key = memberKey(member);
    const place = formatPropertyPath(["users", key]);
    if (Object.hasOwn(texts, key)) {
      problems.push(`${place}: two users have this key; give each user its own key (or alias)`);
      continue;
    }
    const attributes = validate ? toManagedAttributes(member.attributes ?? {}) : ((member.attributes ?? {}) as Record<string, AttributeValue>);
    const user: ManagedUser = {
      ...(member.externalId !== undefined ? { externalId: member.externalId } : {}),
      ...(member.alias !== undefined ? { alias: member.alias } : {}),
      ...(member.email !== undefined ? { email: member.email } : member.phone !== undefined ? { phone: member.phone } : {}),
      attributes,
      subscriptionGroups: member.subscriptionGroups ?? {},
    };
    // Braze takes the email as the identifier when both are sent, and sets the phone as a profile field.
    if (user.email !== undefined && member.phone !== undefined && user.externalId === undefined && user.alias === undefined)
      user.attributes = { ...user.attributes, phone: member.phone };
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
    texts[key] = memberToText({ user, entries, ...(member.adopt === true ? { adopt: true } : {}) });
  }
  if (validate) problems.push(...sameProfileProblems(members));
  if (problems.length > 0) throw new UserSetMembersError(`BrazeUserSet ${JSON.stringify(name)}`, problems);
  return texts;
}

/** Members that would resolve to one Braze profile (address-findings.ts), each named by its key. */
function sameProfileProblems(members: readonly BrazeUserSetMember[]): string[] {
  const declared = members.map((member) => ({
    external_id: member.externalId,
    alias: member.alias,
    email: member.email,
    phone: member.phone,
    attributes: member.attributes,
  }));
  const keyed = (index: number): Segment[] => {
    const { key, externalId, alias, email, phone } = members[index];
    const named = [key, externalId, alias, email, phone].some((value) => value !== undefined);
    return ["users", named ? memberKey(members[index]) : index];
  };
  return sameProfileFindings(declared, (index) => formatPropertyPath(keyed(index)), keyed).map(
    (finding) => `${formatPropertyPath(finding.segments)}: ${finding.message.replace(RELATED_PLACE, "")}`,
  );
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
      if (typeof id !== "string" || id === "")
        return problem(`${field}[${index}].id: needs an id, a non-empty string that names this ${field === "events" ? "event" : "purchase"} for good`);
      if (seen.has(id)) return problem(`${field}[${index}].id: "${id}" is used twice; each id is unique across the user's events and purchases`);
      seen.add(id);
      (entries[field] as Record<string, unknown>)[id] = entry;
    });
  }
  return entries;
}

/** The members of an already validated desired state, marked as validated (no user is checked twice). */
export function membersOfDesiredState(state: DesiredState): BrazeUserSetMember[] {
  return asValidatedMembers(
    state.users.map(({ key, user, events, purchases, adopt }) => ({
      key,
      ...user,
      ...(adopt ? { adopt } : {}),
      ...(events && events.length > 0 ? { events: events as ValidatedMember["events"] } : {}),
      ...(purchases && purchases.length > 0 ? { purchases: purchases as ValidatedMember["purchases"] } : {}),
    })),
  );
}
