// The attributes of one user as TypeScript sees them, generated from the schema
// (schema/generated/desired-state.ts): standard fields with their precise types,
// so that `tsc` refuses `email_subscribe: "yes"` or `phone: 15043277269`, and
// custom attributes open to any value the schema accepts.
import type { Attributes } from "../../schema/generated/desired-state";
import type { AttributeValue } from "../model/managed-user";
import { toAttributes } from "./convert";

/** One user's attributes: Braze's standard fields, precisely typed, and custom attributes. */
export type UserAttributes = Attributes;

/** The delta's form of typed attributes (`ManagedUser["attributes"]`): a copy, without keys set to undefined. */
export function toManagedAttributes(attributes: UserAttributes): Record<string, AttributeValue> {
  return toAttributes(attributes);
}
