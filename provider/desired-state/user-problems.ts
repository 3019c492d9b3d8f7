// Checks one user declared in TypeScript (not through a YAML file) against the same
// schema rules, so a program that builds BrazeUser resources directly gets the same
// errors before anything is sent.
import type { ManagedUser } from "../model/managed-user";
import { formatPropertyPath } from "../model/property-path";
import { ownAddressFindings } from "./address-findings";
import { attributeFindings } from "./attribute-findings";
import type { DesiredEvent, DesiredPurchase } from "./desired-state";
import { entryIdFindings } from "./entry-findings";
import { findingsFromErrors, RELATED_PLACE, type Finding } from "./schema-issues";
import { stringArrayFindings } from "./string-array-findings";
import { validatorFor } from "./validator";

export interface UserProblem {
  /** Resource property path, e.g. `attributes.dob`. */
  property: string;
  message: string;
}

export interface UserCheckOptions {
  /**
   * Custom attribute names that are one slip away from a standard field name
   * (`firstname`) and are meant as custom attributes all the same; any other
   * such name is a problem with a "did you mean" hint.
   * @default []
   */
  intendedCustomAttributes?: readonly string[];
  /**
   * Most items a string array attribute keeps: the workspace's setting.
   * @default 500, Braze's current default
   */
  stringArrayMaxItems?: number;
}

/** The resource's property names where the file's differ. */
const RESOURCE_NAMES = new Map<string | number, string>([
  ["subscription_groups", "subscriptionGroups"],
  ["external_id", "externalId"],
]);

/** How a user declared in TypeScript marks a near-miss name as a custom attribute on purpose. */
const howToIntendInCode = (name: string) => `if a custom attribute is meant, add ${JSON.stringify(name)} to the user's intendedCustomAttributes`;

/**
 * Every problem of one user, by resource property path: the schema's rules and
 * the attribute checks the YAML loader makes (near-miss names, unreadable dates,
 * string arrays longer than the workspace keeps).
 */
export function userProblems(user: ManagedUser, options: UserCheckOptions = {}): UserProblem[] {
  // The schema speaks the file's names (subscription_groups); the resource's
  // property is subscriptionGroups, so paths are mapped back below.
  const declaration = {
    ...(user.externalId !== undefined ? { external_id: user.externalId } : {}),
    ...(user.alias !== undefined ? { alias: user.alias } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.phone !== undefined ? { phone: user.phone } : {}),
    attributes: user.attributes,
    subscription_groups: user.subscriptionGroups,
  };
  const validate = validatorFor("/definitions/userDeclaration");
  const findings = validate(declaration) ? [] : findingsFromErrors(validate.errors ?? [], declaration);
  findings.push(
    ...attributeFindings(user.attributes, ["attributes"], new Set(options.intendedCustomAttributes ?? []), howToIntendInCode),
    ...stringArrayFindings(user.attributes, ["attributes"], options.stringArrayMaxItems),
    ...ownAddressFindings(declaration, []),
  );
  return findings.map((finding) => ({
    property: formatPropertyPath(finding.segments.map((segment) => RESOURCE_NAMES.get(segment) ?? segment)),
    message: finding.message,
  }));
}

/**
 * Every problem of one user's events and purchases declared in TypeScript, by
 * property path (`events[0].time`): the schema's rules and unique ids across
 * both lists, as the YAML loader checks them.
 */
export function entryProblems(entries: { events?: readonly DesiredEvent[]; purchases?: readonly DesiredPurchase[] }): UserProblem[] {
  const findings: Finding[] = [];
  for (const list of ["events", "purchases"] as const) {
    const value = entries[list];
    if (value === undefined) continue;
    const validate = validatorFor(`/definitions/${list}`);
    if (!validate(value)) findings.push(...findingsFromErrors(validate.errors ?? [], entries, [list]));
  }
  findings.push(...entryIdFindings(entries as Record<string, unknown>, []));
  return findings.map((finding) => ({ property: formatPropertyPath(finding.segments), message: finding.message.replace(RELATED_PLACE, "") }));
}
