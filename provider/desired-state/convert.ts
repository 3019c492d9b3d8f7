// Bridges the types generated from the schema to the domain types of the delta.
// Only called on documents the schema accepted.
import type {
  Attributes,
  DesiredStateDocument,
  NestedValue as DeclaredNestedValue,
  UserDeclaration,
} from "../../schema/generated/desired-state";
import type { AttributeValue, ManagedUser, NestedObject, NestedValue } from "../delta/managed-user";
import type { DesiredState, DesiredUser } from "./desired-state";

export function toDesiredState(document: DesiredStateDocument): DesiredState {
  return { users: document.users.map(toDesiredUser) };
}

function toDesiredUser(declaration: UserDeclaration): DesiredUser {
  const user: ManagedUser = {
    alias: { name: declaration.alias.name, label: declaration.alias.label },
    attributes: toAttributes(declaration.attributes ?? {}),
    subscriptionGroups: { ...(declaration.subscription_groups ?? {}) },
  };
  return declaration.key === undefined ? { user } : { key: declaration.key, user };
}

function toAttributes(attributes: Attributes): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) result[key] = toAttributeValue(value);
  }
  return result;
}

function toAttributeValue(value: NonNullable<Attributes[string]>): AttributeValue {
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) {
    return value.every((item) => typeof item === "string") ? [...(value as string[])] : (value as object[]).map(toNestedObject);
  }
  return toNestedObject(value);
}

function toNestedObject(value: object): NestedObject {
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, toNestedValue(child as DeclaredNestedValue)]));
}

function toNestedValue(value: DeclaredNestedValue): NestedValue {
  if (Array.isArray(value)) return value.map(toNestedValue);
  if (typeof value === "object") return toNestedObject(value);
  return value;
}
