// The Pulumi resource for one alias-only Braze user. The provider object below is
// what Pulumi serializes into every resource's state, so it stays a handful of
// lines: each method loads the real implementation by package name at run time.
// Upgrading this package therefore changes behaviour for existing resources too
// (delete and refresh run the provider stored in state), and the stored text does
// not change with the implementation, so an upgrade is never a diff.
import * as pulumi from "@pulumi/pulumi";
import type { AttributeValue, SubscriptionState, UserAlias } from "./delta";

export interface BrazeUserArgs {
  /** The user's alias: Braze's identifier for users without an external_id. */
  alias: pulumi.Input<UserAlias>;
  /** Braze attribute names (standard and custom) to the values the user must hold. */
  attributes?: pulumi.Input<Record<string, pulumi.Input<AttributeValue>>>;
  /** Subscription group id to state. */
  subscriptionGroups?: pulumi.Input<Record<string, pulumi.Input<SubscriptionState>>>;
}

/** Exported for the serialization test only. */
export const userResourceProvider: pulumi.dynamic.ResourceProvider = {
  async configure(request) {
    runtime().configure(request.config);
  },
  async check(_olds, news) {
    return runtime().userProvider().check(news);
  },
  async diff(_id, olds, news) {
    return runtime().userProvider().diff(olds, news);
  },
  async create(inputs) {
    return runtime().userProvider().create(inputs);
  },
  async update(_id, olds, news) {
    return runtime().userProvider().update(olds, news);
  },
  async delete(_id, props) {
    await runtime().userProvider().delete(props);
  },
  async read(id, props) {
    return runtime().userProvider().read(id, props);
  },
};

/**
 * Loads provider/runtime by package name, resolved from the program's folder (the
 * provider process's working directory): it finds the package through node_modules
 * in a user's project and by self-reference in this repository, and bakes no
 * absolute path into state, which may be used on another machine.
 */
function runtime(): typeof import("./runtime") {
  const { createRequire } = require("node:module");
  const { join } = require("node:path");
  return createRequire(join(process.cwd(), "package.json"))("pulumi-braze-profiles/provider-runtime");
}

/** One alias-only Braze user: its alias, attributes and subscription-group states. */
export class BrazeUser extends pulumi.dynamic.Resource {
  declare readonly alias: pulumi.Output<UserAlias>;
  declare readonly attributes: pulumi.Output<Record<string, AttributeValue>>;
  declare readonly subscriptionGroups: pulumi.Output<Record<string, SubscriptionState>>;

  constructor(name: string, args: BrazeUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userResourceProvider,
      name,
      { alias: args.alias, attributes: args.attributes ?? {}, subscriptionGroups: args.subscriptionGroups ?? {} },
      opts,
      "braze",
      "User",
    );
  }
}
