// The Pulumi resource for one Braze user: identified (external_id), alias-only, email-only or phone-only. The provider object below is
// what Pulumi serializes into every resource's state, so it stays a handful of
// lines: each method loads the real implementation by package name at run time.
// Upgrading this package therefore changes behaviour for existing resources too
// (delete and refresh run the provider stored in state), and the stored text does
// not change with the implementation, so an upgrade is never a diff.
import * as pulumi from "@pulumi/pulumi";
import type { AttributeValue, SubscriptionState, UserAlias } from "./model";
import type { UserAttributes } from "./desired-state";
import { RESOURCE_MODULE, USER_TYPE_NAME } from "./resource-types";

/**
 * Who the user is: an identified user by its `externalId` (with an alias
 * attached to it when `alias` is given too), an alias-only user by `alias`,
 * or an email-only (phone-only) user by `email` (`phone`) alone.
 */
export type BrazeUserArgs = BrazeUserFields &
  (
    | {
        /** Braze's `external_id`: the identified profile this resource manages. Braze keeps it for good: it cannot be removed; a changed one is renamed in place (/users/external_ids/rename). */
        externalId: pulumi.Input<string>;
        /** An alias attached to the identified profile (/users/alias/new); renamed within its label, never removed. */
        alias?: pulumi.Input<UserAlias>;
      }
    | {
        externalId?: undefined;
        /** The user's alias: Braze's identifier for users without an external_id. Adding `externalId` later identifies the user in place. */
        alias: pulumi.Input<UserAlias>;
      }
    | {
        externalId?: undefined;
        alias?: undefined;
        /**
         * The address of an email-only profile: /users/track addresses it by `email`. Replacing it with
         * `externalId` alone (the address moved under attributes) identifies the user in place.
         */
        email: pulumi.Input<string>;
      }
    | {
        externalId?: undefined;
        alias?: undefined;
        /** The E.164 number of a phone-only profile: /users/track addresses it by `phone`. */
        phone: pulumi.Input<string>;
      }
  );

export interface BrazeUserFields {
  /**
   * Braze attribute names to the values the user must hold: the standard fields
   * typed precisely (generated from the schema), custom attributes open.
   */
  attributes?: pulumi.Input<UserAttributes>;
  /** Subscription group id to state. */
  subscriptionGroups?: pulumi.Input<Record<string, pulumi.Input<SubscriptionState>>>;
  /**
   * Custom attribute names one slip away from a standard field (`firstname`)
   * that are meant as custom attributes; any other such name is refused with
   * `did you mean "first_name"?`.
   */
  intendedCustomAttributes?: string[];
}

/**
 * Loads provider/runtime by package name, resolved from the program's folder (the
 * provider process's working directory): it finds the package through node_modules
 * in a user's project and by self-reference in this repository, and bakes no
 * absolute path into state, which may be used on another machine. An arrow, not a
 * function declaration: the serializer then emits no extra lines for it.
 */
const runtime = (): typeof import("./runtime") =>
  require("node:module").createRequire(require("node:path").join(process.cwd(), "package.json"))("pulumi-braze-profiles/provider-runtime");

/**
 * Every method only forwards its arguments. Pulumi wraps each serialized function
 * in about 180 characters of scaffolding and stores the whole text twice per
 * resource (inputs and outputs); the engine rewrites all of it at every checkpoint,
 * so this text is what a large stack pays for at each step. Exported for the
 * serialization test only.
 */
export const userResourceProvider: Required<pulumi.dynamic.ResourceProvider> = {
  configure: (...args) => runtime().configure(...args),
  check: (...args) => runtime().check(...args),
  diff: (...args) => runtime().diff(...args),
  create: (...args) => runtime().create(...args),
  update: (...args) => runtime().update(...args),
  delete: (...args) => runtime().delete(...args),
  read: (...args) => runtime().read(...args),
};

/** One Braze user: its external_id and/or alias (or its email or phone alone), attributes and subscription-group states. */
export class BrazeUser extends pulumi.dynamic.Resource {
  declare readonly externalId: pulumi.Output<string | undefined>;
  /** The address of an email-only user; undefined for any other. */
  declare readonly email: pulumi.Output<string | undefined>;
  /** The number of a phone-only user; undefined for any other. */
  declare readonly phone: pulumi.Output<string | undefined>;
  /** Typed as always present, as before external_id was supported, so `user.alias.name` lifts; undefined for an identified user declared without one. */
  declare readonly alias: pulumi.Output<UserAlias>;
  declare readonly attributes: pulumi.Output<Record<string, AttributeValue>>;
  declare readonly subscriptionGroups: pulumi.Output<Record<string, SubscriptionState>>;

  constructor(name: string, args: BrazeUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userResourceProvider,
      name,
      {
        // Its own name, so the provider can say which resources declare one alias twice.
        name,
        ...(args.externalId !== undefined ? { externalId: args.externalId } : {}),
        ...(args.alias !== undefined ? { alias: args.alias } : {}),
        ...("email" in args && args.email !== undefined ? { email: args.email } : {}),
        ...("phone" in args && args.phone !== undefined ? { phone: args.phone } : {}),
        attributes: args.attributes ?? {},
        subscriptionGroups: args.subscriptionGroups ?? {},
        ...(args.intendedCustomAttributes ? { intendedCustomAttributes: args.intendedCustomAttributes } : {}),
      },
      opts,
      RESOURCE_MODULE,
      USER_TYPE_NAME,
    );
  }
}
