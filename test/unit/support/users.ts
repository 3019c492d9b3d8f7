import type { ManagedUser } from "../../../provider/model";

/** A managed user with the given parts; alias ada/qa-personas unless said otherwise. */
export function user(parts: Partial<ManagedUser> = {}): ManagedUser {
  return {
    alias: parts.alias ?? { name: "ada", label: "qa-personas" },
    attributes: parts.attributes ?? {},
    subscriptionGroups: parts.subscriptionGroups ?? {},
  };
}

export const ADA_ALIAS = { alias_name: "ada", alias_label: "qa-personas" };
