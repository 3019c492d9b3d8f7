// The provider's behaviour for one user (identified, alias-only, email-only or phone-only), on top of the pure delta
// (../delta) and the batched Braze endpoints (../braze/users-api). Pulumi-free:
// it takes and returns plain objects, so it is tested with a real HTTP peer and
// no engine.
import { aliasObject, attachmentOf, exportFieldsFor, identifiedWhileUnsure, observedUser, planCreate, planUpdate, RunDeletes, wireIdentifier } from "../delta";
import { DEFAULT_MAX_DELETES, type Budgets } from "../delta/budgets";
import { describeIdentity, identityKey, identityKind, type ManagedUser } from "../model";
import { aliasOf } from "../model/managed-user";
import type { BrazeUsersApi } from "../braze/users-api";
import { describeAlias, describeIdentifier } from "../braze/users-api";
import { userProblems } from "../desired-state/user-problems";
import { unsureOf, unsureAfterFailure, withUnknownsMarked, type Unsure } from "../encoding/recorded-set";
import type { AliasAttachment, Identification, TrackAttributesObject } from "../braze/wire-types";
import { SharedAddressError } from "../braze/errors/shared-address-error";
import type { UpdatePlan } from "../delta";
import { declare, declarationsSettled, declaredBy, declarersOf } from "./declared-aliases";
import { AliasTakenError } from "./errors/alias-taken-error";
import { BudgetExceededError } from "./errors/budget-exceeded-error";
import { IdentityRefusedError } from "./errors/identity-refused-error";
import { DuplicateDeclarationError } from "./errors/duplicate-declaration-error";
import { holdsIdentifier, identificationFields, removeOldExternalIds, renameExternalIdsChecked } from "./identity-changes";
import { RenameNotVisibleError } from "./errors/rename-not-visible-error";
import { RefreshUnreadError } from "./errors/refresh-unread-error";
import { unreadGroupsText } from "../delta/group-reads";
import { readHeldGroups } from "./held-groups";
import { PartialFailure } from "./partial-failure";

/**
 * The value the engine puts where an input is not known yet (during preview,
 * an output of another resource). Nothing can be checked or diffed on it.
 */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function hasUnknowns(props: Record<string, unknown>): boolean {
  return JSON.stringify(props).includes(UNKNOWN);
}

/**
 * How long an alias rename may take to become visible before the attributes for
 * the new name are sent (ms). Braze applies /users/alias/update asynchronously and
 * advises waiting up to five minutes before a call that depends on an alias change;
 * sending the attributes early would create a second user under the new name.
 */
export const RENAME_VISIBILITY_TIMEOUT_MS = 5 * 60_000;
/** First pause between visibility checks (ms), doubled up to RENAME_POLL_MAX_MS. */
export const RENAME_POLL_START_MS = 250;
export const RENAME_POLL_MAX_MS = 10_000;

export interface DiffAnswer {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface UserProviderOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** `braze:maxDeletes` and what this one command allows beyond it. @default { maxDeletes: DEFAULT_MAX_DELETES } */
  budgets?: Budgets;
  /** Whether diff refuses a replacement over the budget (false on `braze-profiles plan`'s preview). @default true */
  guardsAtPreview?: boolean;
  /** The deletes of this run: one per provider process, which serves every resource of one engine operation. @default a new count */
  deletes?: RunDeletes;
}

/** Inputs and outputs as the engine hands them over: ManagedUser plus Pulumi's own keys (`__provider`). */
export function toManagedUser(props: Record<string, unknown>): ManagedUser {
  const alias = (props.alias ?? undefined) as ManagedUser["alias"] | undefined;
  const externalId = props.externalId ?? undefined;
  if (externalId !== undefined && (typeof externalId !== "string" || externalId === "")) {
    throw new TypeError(`externalId must be a non-empty string, got ${JSON.stringify(externalId)}`);
  }
  if (alias !== undefined && (typeof alias.name !== "string" || typeof alias.label !== "string")) {
    throw new TypeError(`an alias needs alias.name and alias.label, got ${JSON.stringify(alias)}`);
  }
  const email = addressOf(props, "email");
  const phone = addressOf(props, "phone");
  if (externalId === undefined && alias === undefined && email === undefined && phone === undefined) {
    throw new TypeError("a Braze user needs an externalId, an alias (name and label), both, or else an email or a phone alone");
  }
  if ((email ?? phone) !== undefined && (externalId !== undefined || alias !== undefined || (email !== undefined && phone !== undefined))) {
    throw new TypeError(
      "email and phone identify an email-only or phone-only user and stand alone: beside an externalId or alias (or each other) put them under attributes",
    );
  }
  return {
    ...(externalId !== undefined ? { externalId } : {}),
    ...(alias !== undefined ? { alias: { name: alias.name, label: alias.label } } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(phone !== undefined ? { phone } : {}),
    attributes: (props.attributes as ManagedUser["attributes"] | undefined) ?? {},
    subscriptionGroups: (props.subscriptionGroups as ManagedUser["subscriptionGroups"] | undefined) ?? {},
  };
}

/** The email or phone an email-only or phone-only user is addressed by, if given. */
function addressOf(props: Record<string, unknown>, kind: "email" | "phone"): string | undefined {
  const address = props[kind] ?? undefined;
  if (address !== undefined && (typeof address !== "string" || address === "")) {
    throw new TypeError(`${kind} must be a non-empty string, got ${JSON.stringify(address)}`);
  }
  return address as string | undefined;
}

/** The user with its external_id given in place (/users/identify): an email-only user's address is a profile field from then on, no longer what addresses it. */
function identifiedAs(user: ManagedUser, externalId: string | undefined): ManagedUser {
  const { email: _field, phone: _number, ...identified } = user;
  return { ...identified, externalId };
}

/** The user's alias as Braze addresses it (renames look users up by alias, identified or not). */
const wireAlias = (user: ManagedUser) => ({ user_alias: aliasObject(aliasOf(user)) });

/** The user without its alias: what an identified user is known to hold until /users/alias/new has attached it. */
function withoutAlias(user: ManagedUser): ManagedUser {
  const { alias: _toAttach, ...held } = user;
  return held;
}

/** The input that says who the user is, for a check failure. */
function propertyOf(props: { externalId?: unknown; alias?: unknown; email?: unknown; phone?: unknown }): string {
  return (["externalId", "alias", "email", "phone"] as const).find((property) => props[property] !== undefined) ?? "alias";
}

/** The resource as a person finds it in the program: by its Pulumi name (stacks made before it was an input: by identity). */
function resourceOf(props: Record<string, unknown>): string {
  return typeof props.name === "string" ? `BrazeUser ${JSON.stringify(props.name)}` : `BrazeUser ${identityKey(toManagedUser(props))}`;
}

/**
 * What a BrazeUser records: the user as Braze holds it and, when a request that
 * carried it failed or got no answer, what is unsure (see encoding/recorded-set).
 */
export interface UserOutputs extends ManagedUser {
  unsure?: Unsure;
}

/**
 * The plan from the record to the desired user, sending unsure parts whole;
 * the set's refusals of identity changes are refused here alike.
 * @throws IdentityRefusedError when the identity change cannot be carried out.
 */
function planFrom(recorded: ManagedUser, unsure: Unsure | undefined, desired: ManagedUser, resource: string): UpdatePlan {
  const plan = unsure === "all" ? planUpdate(recorded, desired) : planUpdate(unsure ? withUnknownsMarked(recorded, unsure) : recorded, desired);
  const refusal = plan.refusal ?? (unsure === "all" ? identifiedWhileUnsure(recorded, desired) : undefined);
  if (refusal) throw new IdentityRefusedError(resource, refusal);
  // Whether Braze holds the user at all is unknown: set every value whole, which is right whatever it holds.
  if (unsure === "all" && !plan.replace) return { ...plan, attributes: planCreate(desired), changedProperties: ["*"] };
  return plan;
}

export class UserProvider {
  readonly #api: BrazeUsersApi;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #budgets: Budgets;
  readonly #guardsAtPreview: boolean;
  readonly #deletes: RunDeletes;

  constructor(api: BrazeUsersApi, options: UserProviderOptions = {}) {
    this.#api = api;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#budgets = options.budgets ?? { maxDeletes: DEFAULT_MAX_DELETES };
    this.#guardsAtPreview = options.guardsAtPreview ?? true;
    this.#deletes = options.deletes ?? new RunDeletes();
  }

  /** Schema rules for users declared in code; a failure stops the run before anything is sent. */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
    // Unknown values are checked when they are known: the engine calls check again before the update.
    if (hasUnknowns(news)) return { inputs: news, failures: [] };
    let user: ManagedUser;
    try {
      user = toManagedUser(news);
    } catch (error) {
      return { inputs: news, failures: [{ property: propertyOf(news), reason: (error as Error).message }] };
    }
    const intended = Array.isArray(news.intendedCustomAttributes) ? (news.intendedCustomAttributes as string[]) : undefined;
    const failures = userProblems(user, { intendedCustomAttributes: intended }).map(({ property, message }) => ({ property, reason: message }));
    // Declared as a set declares it (identityKey), so a user moved between a set and a BrazeUser is found.
    const id = identityKey(user);
    const kind = identityKind(id);
    const property = propertyOf(user);
    const resource = resourceOf(news);
    for (const conflict of declare(resource, [{ aliasKey: id, declarer: `${resource} (${describeIdentity(id)})` }])) {
      failures.push({
        property,
        reason: `${describeIdentity(id)} is declared twice, by ${conflict.declarer} and by ${conflict.other}: each ${kind} is one Braze user, so declare it in one place only`,
      });
    }
    return { inputs: news, failures };
  }

  /**
   * Pure: never calls Braze, so `pulumi preview` sends nothing. `__provider` is
   * ignored, so code upgrades are no diff. Hints (a released subscription group,
   * which Braze cannot be told to forget) are a change with nothing to send: the
   * update records the release in state so the group stops being managed.
   * A replacement deletes the old user, so it is counted against
   * `braze:maxDeletes` here, where preview can still refuse it.
   */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): DiffAnswer {
    if (hasUnknowns(news)) return { changes: true, replaces: [], deleteBeforeReplace: false };
    const recorded = toManagedUser(olds);
    const plan = planFrom(recorded, unsureOf(olds.unsure), toManagedUser(news), resourceOf(news));
    if (plan.replace && this.#guardsAtPreview) this.#admitDelete(recorded, resourceOf(news));
    return {
      changes: plan.replace || plan.rename !== undefined || plan.changedProperties.length > 0 || plan.hints.length > 0,
      replaces: plan.replace ? ["alias"] : [],
      deleteBeforeReplace: false,
    };
  }

  /**
   * One attributes object creates the user (by external_id when it has one);
   * an identified user's alias is attached once Braze knows the external_id.
   */
  async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: UserOutputs }> {
    const user = toManagedUser(inputs);
    await this.#refuseDoubleDeclaration(user, resourceOf(inputs));
    const id = identityKey(user);
    const attach = attachmentOf(user);
    await this.#track(id, planCreate(user), attach ? withoutAlias(user) : user, undefined);
    if (attach) await this.#attach(id, attach, user);
    return { id, outs: user };
  }

  /**
   * Attaches an identified user's alias (/users/alias/new). Refused or lost, the
   * user is recorded without it, so the next up attaches it again: Braze takes
   * an alias the profile already holds as done.
   */
  async #attach(id: string, attachment: AliasAttachment, user: ManagedUser): Promise<void> {
    const [outcome] = await this.#api.attachAll([attachment]);
    if (outcome.ok) return;
    const message = `${describeIdentifier(wireIdentifier(user))}: its alias was not attached: ${outcome.error.message}`;
    throw new PartialFailure<UserOutputs>(message, id, withoutAlias(user), [message]);
  }

  /**
   * Gives the alias-only or email-only user its external_id in place
   * (/users/identify), keeping its data. The external_id is read first: a
   * profile that has it and holds the alias (the email) was identified by an
   * earlier up whose answer was lost. Refused or lost, the user stays recorded
   * as it was, so the next up checks again.
   */
  async #identify(id: string, identification: Identification, recorded: ManagedUser, unsure: Unsure | undefined): Promise<void> {
    const found = await this.#api.exportUser({ external_id: identification.external_id }, identificationFields([identification]));
    if (holdsIdentifier(identification, found)) return;
    const [outcome] = await this.#api.identifyAll([identification]);
    if (outcome.ok) return;
    const who = describeIdentifier(identification.user_alias ? { user_alias: identification.user_alias } : { email: identification.email });
    const message = `${who}: it was not identified as ${JSON.stringify(identification.external_id)}: ${outcome.error.message}`;
    throw new PartialFailure<UserOutputs>(message, id, { ...recorded, ...(unsure ? { unsure } : {}) }, [message]);
  }

  /**
   * Gives the identified user its new external_id in place: both ids are read
   * first (renameExternalIdsChecked), so a rename whose answer was lost is not
   * sent twice; then the attribute delta goes by the new id, the alias is
   * attached if it is new, and the old id is removed. A user deleted outside
   * Pulumi is set whole under the new id. Whatever fails, the outputs say what
   * Braze holds: the old id until the rename is seen, and again while the old
   * id is not removed, so the next up checks and removes it.
   */
  async #renameExternalId(
    id: string,
    plan: UpdatePlan,
    recorded: ManagedUser,
    unsure: Unsure | undefined,
    desired: ManagedUser,
    resource: string,
  ): Promise<{ outs: UserOutputs }> {
    const rename = plan.renameExternalId!;
    const [result] = await renameExternalIdsChecked(this.#api, [rename]);
    if (result.state === "failed") {
      const message = `${resource}: ${result.message}`;
      throw new PartialFailure<UserOutputs>(message, id, { ...recorded, ...(unsure ? { unsure } : {}) }, [message]);
    }
    if (result.state === "gone") {
      const attach = attachmentOf(desired);
      await this.#track(id, planCreate(desired), attach ? withoutAlias(recorded) : recorded, unsure);
      if (attach) await this.#attach(id, attach, desired);
      return { outs: desired };
    }
    let outs: UserOutputs = desired;
    const reasons: string[] = [];
    try {
      if (plan.attributes) await this.#track(id, plan.attributes, { ...recorded, externalId: desired.externalId }, unsure);
      if (plan.attach) await this.#attach(id, plan.attach, desired);
    } catch (error) {
      if (!(error instanceof PartialFailure)) throw error;
      outs = error.properties as UserOutputs;
      reasons.push(error.message);
    }
    const [left] = await removeOldExternalIds(this.#api, [rename.current_external_id]);
    if (left) {
      outs = { ...outs, externalId: rename.current_external_id };
      reasons.push(`${resource}: its old external_id ${JSON.stringify(rename.current_external_id)} was not removed: ${left.message}`);
    }
    if (reasons.length > 0) throw new PartialFailure<UserOutputs>(reasons.join("; "), id, outs, reasons);
    return { outs: desired };
  }

  /**
   * Sends one object. When it fails, or its answer is lost, the resource is
   * recorded as `recorded` with what the object carried marked unsure, so the next
   * up sends those parts whole: a revert (1 -> 2 lost, back to 1) is then still a
   * change, and Braze ends at the desired value whatever happened to the request.
   */
  async #track(id: string, object: TrackAttributesObject, recorded: ManagedUser, unsure: Unsure | undefined): Promise<void> {
    try {
      await this.#api.track(object);
    } catch (error) {
      const message = (error as Error).message;
      throw new PartialFailure<UserOutputs>(message, id, { ...recorded, unsure: unsureAfterFailure(unsure, object) }, [message]);
    }
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: UserOutputs }> {
    const recorded = toManagedUser(olds);
    const unsure = unsureOf(olds.unsure);
    const desired = toManagedUser(news);
    const resource = resourceOf(news);
    await this.#refuseDoubleDeclaration(desired, resource);
    const plan = planFrom(recorded, unsure, desired, resource);
    if (plan.replace) {
      // The engine replaces instead of updating when diff says so; reaching here is a bug, so a plain Error.
      throw new Error(`cannot update ${describeIdentifier(wireIdentifier(recorded))} in place: ${plan.replaceReason ?? "it needs replacing"}`);
    }
    if (plan.renameExternalId) return this.#renameExternalId(id, plan, recorded, unsure, desired, resource);
    if (plan.rename) {
      const [current, holder] = await Promise.all([
        this.#api.exportUser(wireAlias(recorded), ["braze_id"]),
        this.#api.exportUser(wireAlias(desired), ["braze_id"]),
      ]);
      if (!current) {
        // Nothing holds the old alias: an earlier run renamed it and failed before
        // its attributes were sent (then `holder` is that user), or the user was
        // deleted outside Pulumi. Either way, setting every desired value on the
        // new alias converges, and creates the user if it is gone (an identified
        // one by its external_id, then the alias is attached to it).
        const attach = attachmentOf(desired);
        await this.#track(id, planCreate(desired), attach ? withoutAlias(recorded) : { ...recorded, alias: desired.alias }, unsure);
        if (attach) await this.#attach(id, attach, desired);
        return { outs: desired };
      }
      if (holder) {
        // Renaming onto a taken alias would leave two users under one alias name,
        // and the attributes would land on whichever Braze picks.
        throw new AliasTakenError(describeAlias(wireAlias(recorded).user_alias), desired.alias!.name, holder.braze_id ?? undefined);
      }
      await this.#api.renameAlias(plan.rename);
      await this.#waitUntilVisible(desired);
    }
    // After a rename the record follows the alias, after an identification the external_id.
    let held: ManagedUser = { ...recorded, ...(recorded.alias ? { alias: desired.alias } : {}) };
    if (plan.identify) {
      await this.#identify(id, plan.identify, recorded, unsure);
      held = identifiedAs(held, desired.externalId);
    }
    if (plan.attributes) await this.#track(id, plan.attributes, held, unsure);
    if (plan.attach) await this.#attach(id, plan.attach, desired);
    return { outs: desired };
  }

  /**
   * Deletes the user unless the program still declares its alias elsewhere: a
   * user moved to another resource name (a key added, changed or dropped; a
   * resource renamed; into a BrazeUserSet) is created or updated there, and
   * Pulumi deletes the old resource at the end of the run, or of a later one.
   */
  async delete(props: Record<string, unknown>): Promise<void> {
    const user = toManagedUser(props);
    await declarationsSettled(this.#sleep);
    if (declaredBy(identityKey(user)) !== undefined) return;
    this.#admitDelete(user, resourceOf(props));
    await this.#api.deleteUser(wireIdentifier(user));
  }

  /**
   * Counts the user's deletion against `braze:maxDeletes` for this run, or
   * refuses it: `pulumi destroy` and BrazeUsers dropped from the program each
   * reach the provider as one Delete, with no word of how many follow.
   */
  #admitDelete(user: ManagedUser, resource: string): void {
    const refused = this.#deletes.admit(identityKey(user), this.#budgets);
    if (refused) throw new BudgetExceededError(resource, [refused]);
  }

  /** Reads the managed attributes back; attributes the resource does not manage are never reported. */
  async read(id: string, props: Record<string, unknown>): Promise<{ id?: string; props?: ManagedUser; groupsUnread?: string }> {
    const recorded = toManagedUser(props);
    // Several profiles holding an email-only (phone-only) user's address: which is the user cannot be told, so nothing is recorded.
    const exported = await this.#api.exportUser(wireIdentifier(recorded), exportFieldsFor(recorded)).catch((error: unknown) => {
      throw error instanceof SharedAddressError ? error.forResource(resourceOf(props)) : error;
    });
    if (!exported) return {}; // gone from Braze: refresh drops it from state, the next up creates it again
    // Its groups as a set reads them: by external_id, email or phone; an alias-only user's cannot be read.
    const groups = await readHeldGroups(this.#api, [recorded]);
    const failed = groups.failed.get(0);
    if (failed) throw new RefreshUnreadError(describeIdentifier(wireIdentifier(recorded)), failed);
    const groupsUnread = groups.unnamed.size > 0 ? unreadGroupsText([resourceOf(props)]) : undefined;
    return { id, props: observedUser(recorded, exported, groups.states.get(0)), ...(groupsUnread ? { groupsUnread } : {}) };
  }

  /**
   * Waits until the program's declarations are in, then refuses to send anything
   * for an alias another resource declares too: the one checked first passed its
   * check, and must not race the other's objects.
   */
  async #refuseDoubleDeclaration(user: ManagedUser, resource: string): Promise<void> {
    await declarationsSettled(this.#sleep);
    const all = declarersOf(identityKey(user));
    if (all) throw new DuplicateDeclarationError(resource, [{ identity: identityKey(user), declarers: all }]);
  }

  async #waitUntilVisible(user: ManagedUser): Promise<void> {
    const deadline = this.#now() + RENAME_VISIBILITY_TIMEOUT_MS;
    for (let pause = RENAME_POLL_START_MS; ; pause = Math.min(pause * 2, RENAME_POLL_MAX_MS)) {
      if (await this.#api.exportUser(wireAlias(user), ["user_aliases"])) return;
      if (this.#now() + pause > deadline) {
        throw new RenameNotVisibleError(describeAlias(wireAlias(user).user_alias), RENAME_VISIBILITY_TIMEOUT_MS);
      }
      await this.#sleep(pause);
    }
  }
}
