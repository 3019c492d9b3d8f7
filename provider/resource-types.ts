// The types BrazeUser and BrazeUserSet are registered under.
// pulumi.dynamic.Resource names a type `pulumi-nodejs:dynamic/<module>:<type>`,
// and the engine keeps that token in each resource's URN and state, where the
// plan finds a stack's users by it (plan/stack-reading.ts). Never change them:
// every resource in users' state would be replaced.
export const RESOURCE_MODULE = "braze";
export const USER_TYPE_NAME = "User";
export const USER_SET_TYPE_NAME = "UserSet";

/** A type's token, as the engine stores it. */
function typeToken(name: string): string {
  return `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${name}`;
}

export const USER_TYPE = typeToken(USER_TYPE_NAME);
export const USER_SET_TYPE = typeToken(USER_SET_TYPE_NAME);
