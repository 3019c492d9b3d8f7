// The provider's behaviour for one alias-only user, on top of the pure delta
// (../delta) and the batched Braze endpoints (../braze/users-api). Pulumi-free:
// it takes and returns plain objects, so it is tested with a real HTTP peer and
// no engine.
import { exportFieldsFor, observedUser, planCreate, planUpdate, type ManagedUser } from "../delta";
import type { BrazeUsersApi } from "../braze/users-api";
import { describeAlias } from "../braze/users-api";
import type { UserAliasObject } from "../braze/wire-types";
import { userProblems } from "../desired-state/user-problems";

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

/** The Pulumi ID of a user: its alias at creation (Pulumi IDs never change in place, even on rename). */
export function userId(user: ManagedUser): string {
  return `${user.alias.label}/${user.alias.name}`;
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

function wireAlias(user: ManagedUser): UserAliasObject {
  return { alias_name: user.alias.name, alias_label: user.alias.label };
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
    return {
      inputs: news,
      failures: userProblems(toManagedUser(news)).map(({ property, message }) => ({ property, reason: message })),
    };
  }

  /**
   * Pure: never calls Braze, so `pulumi preview` sends nothing. `__provider` is
   * ignored, so code upgrades are no diff. Hints (a released subscription group,
   * which Braze cannot be told to forget) are a change with nothing to send: the
   * update records the release in state so the group stops being managed.
   */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): DiffAnswer {
    const plan = planUpdate(toManagedUser(olds), toManagedUser(news));
    return {
      changes: plan.replace || plan.rename !== undefined || plan.changedProperties.length > 0 || plan.hints.length > 0,
      replaces: plan.replace ? ["alias"] : [],
      deleteBeforeReplace: false,
    };
  }

  async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: ManagedUser }> {
    const user = toManagedUser(inputs);
    await this.#api.track(planCreate(user));
    return { id: userId(user), outs: user };
  }

  async update(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: ManagedUser }> {
    const recorded = toManagedUser(olds);
    const desired = toManagedUser(news);
    const plan = planUpdate(recorded, desired);
    if (plan.replace) {
      // The engine replaces instead of updating when diff says so; reaching here is a bug.
      throw new Error(`cannot update ${describeAlias(wireAlias(recorded))} in place: ${plan.replaceReason ?? "it needs replacing"}`);
    }
    if (plan.rename) {
      await this.#api.renameAlias(plan.rename);
      await this.#waitUntilVisible(desired);
    }
    if (plan.attributes) await this.#api.track(plan.attributes);
    return { outs: desired };
  }

  async delete(props: Record<string, unknown>): Promise<void> {
    await this.#api.deleteUser(wireAlias(toManagedUser(props)));
  }

  /** Reads the managed attributes back; attributes the resource does not manage are never reported. */
  async read(id: string, props: Record<string, unknown>): Promise<{ id?: string; props?: ManagedUser }> {
    const recorded = toManagedUser(props);
    const exported = await this.#api.exportUser(wireAlias(recorded), exportFieldsFor(recorded));
    if (!exported) return {}; // gone from Braze: refresh drops it from state, the next up creates it again
    return { id, props: observedUser(recorded, exported) };
  }

  async #waitUntilVisible(user: ManagedUser): Promise<void> {
    const deadline = this.#now() + RENAME_VISIBILITY_TIMEOUT_MS;
    for (let pause = RENAME_POLL_START_MS; ; pause = Math.min(pause * 2, RENAME_POLL_MAX_MS)) {
      if (await this.#api.exportUser(wireAlias(user), ["user_aliases"])) return;
      if (this.#now() + pause > deadline) {
        throw new Error(
          `Braze did not show the renamed ${describeAlias(wireAlias(user))} within ${RENAME_VISIBILITY_TIMEOUT_MS / 1000} s; ` +
            `run "pulumi up" again to send its attributes`,
        );
      }
      await this.#sleep(pause);
    }
  }
}
