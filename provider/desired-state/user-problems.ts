// Checks one user declared in TypeScript (not through a YAML file) against the same
// schema rules, so a program that builds BrazeUser resources directly gets the same
// errors before anything is sent.
import type { ManagedUser } from "../delta/managed-user";
import { formatPropertyPath } from "../delta/property-path";
import { findingsFromErrors } from "./schema-issues";
import { validatorFor } from "./validator";

export interface UserProblem {
  /** Resource property path, e.g. `attributes.dob`. */
  property: string;
  message: string;
}

export function userProblems(user: ManagedUser): UserProblem[] {
  // The schema speaks the file's names (subscription_groups); the resource's
  // property is subscriptionGroups, so paths are mapped back below.
  const declaration = { alias: user.alias, attributes: user.attributes, subscription_groups: user.subscriptionGroups };
  const validate = validatorFor("/definitions/userDeclaration");
  if (validate(declaration)) return [];
  return findingsFromErrors(validate.errors ?? [], declaration).map((finding) => ({
    property: formatPropertyPath(finding.segments.map((segment) => (segment === "subscription_groups" ? "subscriptionGroups" : segment))),
    message: finding.message,
  }));
}
