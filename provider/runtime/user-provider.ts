// The provider's behaviour for one alias-only user, on top of the pure delta
// (../delta) and the batched Braze endpoints (../braze/users-api). Pulumi-free:
// it takes and returns plain objects, so it is tested with a real HTTP peer and
// no engine.
import { aliasObject, exportFieldsFor, observedUser, planCreate, planUpdate } from "../delta";
import { aliasKey, type ManagedUser } from "../model";
import type { BrazeUsersApi } from "../braze/users-api";
import { describeAlias } from "../braze/users-api";
import { userProblems } from "../desired-state/user-problems";
import { unsureOf, unsureAfterFailure, withUnknownsMarked, type Unsure } from "../encoding/recorded-set";
import type { TrackAttributesObject } from "../braze/wire-types";
import type { UpdatePlan } from "../delta";
import { declare, declarationsSettled, declaredBy, declarersOf } from "./declared-aliases";
import { AliasTakenError } from "./errors/alias-taken-error";
import { DuplicateDeclarationError } from "./errors/duplicate-declaration-error";
import { RenameNotVisibleError } from "./errors/rename-not-visible-error";
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
}

/** Inputs and outputs as the engine hands them over: ManagedUser plus Pulumi's own keys (`__provider`). */
export function toManagedUser(props: Record<string, unknown>): ManagedUser {
  const alias = props.alias as ManagedUser["alias"] | undefined;
  if (!alias || typeof alias.name !== "string" || typeof alias.label !== "string") {
    throw new TypeError(`a Braze user needs alias.name and alias.label, got ${JSON.stringify(props.alias)}`);
  }
  return {
    alias: { name: alias.name, label: alias.label },
    attributes: (props.attributes as ManagedUser["attributes"] | undefined) ?? {},
    subscriptionGroups: (props.subscriptionGroups as ManagedUser["subscriptionGroups"] | undefined) ?? {},
  };
}

/** BrazeUser manages alias-only users: its inputs require an alias, and identified users are declared in a BrazeUserSet. */
const wireAlias = (user: ManagedUser) => ({ user_alias: aliasObject(user.alias!) });

/** The resource as a person finds it in the program: by its Pulumi name (stacks made before it was an input: by alias). */
function resourceOf(props: Record<string, unknown>): string {
  return typeof props.name === "string" ? `BrazeUser ${JSON.stringify(props.name)}` : `BrazeUser ${aliasKey(toManagedUser(props).alias!)}`;
}

/**
 * What a BrazeUser records: the user as Braze holds it and, when a request that
 * carried it failed or got no answer, what is unsure (see encoding/recorded-set).
 */
export interface UserOutputs extends ManagedUser {
  unsure?: Unsure;
}

/** The plan from the record to the desired user, sending unsure parts whole. */
function planFrom(recorded: ManagedUser, unsure: Unsure | undefined, desired: ManagedUser): UpdatePlan {
  if (unsure !== "all") return planUpdate(unsure ? withUnknownsMarked(recorded, unsure) : recorded, desired);
  // Whether Braze holds the user at all is unknown: set every value whole, which is right whatever it holds.
  const plan = planUpdate(recorded, desired);
  return plan.replace ? plan : { ...plan, attributes: planCreate(desired), changedProperties: ["*"] };
}

export class UserProvider {
  readonly #api: BrazeUsersApi;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(api: BrazeUsersApi, options: UserProviderOptions = {}) {
    this.#api = api;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
  }

  /** Schema rules for users declared in code; a failure stops the run before anything is sent. */
  check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
    // Unknown values are checked when they are known: the engine calls check again before the update.
    if (hasUnknowns(news)) return { inputs: news, failures: [] };
    let user: ManagedUser;
    try {
      user = toManagedUser(news);
    } catch (error) {
      return { inputs: news, failures: [{ property: "alias", reason: (error as Error).message }] };
    }
    const intended = Array.isArray(news.intendedCustomAttributes) ? (news.intendedCustomAttributes as string[]) : undefined;
    const failures = userProblems(user, { intendedCustomAttributes: intended }).map(({ property, message }) => ({ property, reason: message }));
    const id = aliasKey(user.alias!);
    const resource = resourceOf(news);
    for (const conflict of declare(resource, [{ aliasKey: id, declarer: `${resource} (alias ${id})` }])) {
      failures.push({
        property: "alias",
        reason: `alias ${id} is declared twice, by ${conflict.declarer} and by ${conflict.other}: each alias is one Braze user, so declare it in one place only`,
      });
    }
    return { inputs: news, failures };
  }

  /**
   * Pure: never calls Braze, so `pulumi preview` sends nothing. `__provider` is
   * ignored, so code upgrades are no diff. Hints (a released subscription group,
   * which Braze cannot be told to forget) are a change with nothing to send: the
   * update records the release in state so the group stops being managed.
   */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): DiffAnswer {
    if (hasUnknowns(news)) return { changes: true, replaces: [], deleteBeforeReplace: false };
    const plan = planFrom(toManagedUser(olds), unsureOf(olds.unsure), toManagedUser(news));
    return {
      changes: plan.replace || plan.rename !== undefined || plan.changedProperties.length > 0 || plan.hints.length > 0,
      replaces: plan.replace ? ["alias"] : [],
      deleteBeforeReplace: false,
    };
  }

  async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: UserOutputs }> {
    const user = toManagedUser(inputs);
    await this.#refuseDoubleDeclaration(user, resourceOf(inputs));
    await this.#track(aliasKey(user.alias!), planCreate(user), user, undefined);
    return { id: aliasKey(user.alias!), outs: user };
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
    await this.#refuseDoubleDeclaration(desired, resourceOf(news));
    const plan = planFrom(recorded, unsure, desired);
    if (plan.replace) {
      // The engine replaces instead of updating when diff says so; reaching here is a bug, so a plain Error.
      throw new Error(`cannot update ${describeAlias(wireAlias(recorded).user_alias)} in place: ${plan.replaceReason ?? "it needs replacing"}`);
    }
    if (plan.rename) {
      const [current, holder] = await Promise.all([
        this.#api.exportUser(wireAlias(recorded), ["braze_id"]),
        this.#api.exportUser(wireAlias(desired), ["braze_id"]),
      ]);
      if (!current) {
        // Nothing holds the old alias: an earlier run renamed it and failed before
        // its attributes were sent (then `holder` is that user), or the user was
        // deleted outside Pulumi. Either way, setting every desired value on the
        // new alias converges, and creates the user if it is gone.
        await this.#track(id, planCreate(desired), { ...recorded, alias: desired.alias }, unsure);
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
    // After a rename the record follows the alias: Braze holds the user under the new name.
    if (plan.attributes) await this.#track(id, plan.attributes, { ...recorded, alias: desired.alias }, unsure);
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
    if (declaredBy(aliasKey(user.alias!)) !== undefined) return;
    await this.#api.deleteUser(wireAlias(user));
  }

  /** Reads the managed attributes back; attributes the resource does not manage are never reported. */
  async read(id: string, props: Record<string, unknown>): Promise<{ id?: string; props?: ManagedUser }> {
    const recorded = toManagedUser(props);
    const exported = await this.#api.exportUser(wireAlias(recorded), exportFieldsFor(recorded));
    if (!exported) return {}; // gone from Braze: refresh drops it from state, the next up creates it again
    return { id, props: observedUser(recorded, exported) };
  }

  /**
   * Waits until the program's declarations are in, then refuses to send anything
   * for an alias another resource declares too: the one checked first passed its
   * check, and must not race the other's objects.
   */
  async #refuseDoubleDeclaration(user: ManagedUser, resource: string): Promise<void> {
    await declarationsSettled(this.#sleep);
    const all = declarersOf(aliasKey(user.alias!));
    if (all) throw new DuplicateDeclarationError(resource, [{ identity: aliasKey(user.alias!), declarers: all }]);
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
