// Bridges the types generated from the schema to the domain types of the delta.
// Only called on documents the schema accepted.
import type { Attributes, DesiredStateDocument, NestedValue as DeclaredNestedValue } from "../../schema/generated/desired-state";
import type { AttributeValue, ManagedUser, NestedObject, NestedValue } from "../model/managed-user";
import { intendedNearMisses } from "./attribute-findings";
import type { DesiredState, DesiredUser } from "./desired-state";

/**
 * The domain state of a document. `shared: false` says no value of the document
 * is reachable twice (no YAML aliases) and nothing else holds it, so attribute
 * values are taken as they are instead of copied: for 100,000 users the copy
 * cost seconds and doubled the memory for a while.
 */
export function toDesiredState(document: DesiredStateDocument, { shared = true }: { shared?: boolean } = {}): DesiredState {
  const attributesOf = shared ? toAttributes : (attributes: Attributes) => attributes as Record<string, AttributeValue>;
  const intended = new Set(document.intended_custom_attributes ?? []);
  return {
    users: document.users.map((declaration) => {
      const user: ManagedUser = {
        ...(declaration.external_id !== undefined ? { externalId: declaration.external_id } : {}),
        ...(declaration.alias !== undefined ? { alias: { name: declaration.alias.name, label: declaration.alias.label } } : {}),
        ...addressOf(declaration),
        attributes: attributesOf(declaration.attributes ?? {}),
        subscriptionGroups: shared ? { ...(declaration.subscription_groups ?? {}) } : (declaration.subscription_groups ?? {}),
      };
      // Braze takes the email as the identifier when both are sent, and sets the phone as a profile field.
      if (user.email !== undefined && declaration.phone !== undefined) user.attributes = { ...user.attributes, phone: declaration.phone };
      const desired: DesiredUser = declaration.key === undefined ? { user } : { key: declaration.key, user };
      // Only users that use such a name carry it, so ordinary users stay as they were.
      const nearMisses = intendedNearMisses(user.attributes, intended);
      if (nearMisses.length > 0) desired.intendedCustomAttributes = nearMisses;
      // Events and purchases pass through as declared; users without them pay one test each.
      if (declaration.events !== undefined) desired.events = shared ? structuredClone(declaration.events) : declaration.events;
      if (declaration.purchases !== undefined) desired.purchases = shared ? structuredClone(declaration.purchases) : declaration.purchases;
      if (declaration.adopt === true) desired.adopt = true;
      return desired;
    }),
  };
}

/** The identifier of an email-only or phone-only user (the schema refuses email and phone beside external_id or alias). */
function addressOf(declaration: DesiredStateDocument["users"][number]): { email: string } | { phone: string } | Record<string, never> {
  if (declaration.email !== undefined) return { email: declaration.email };
  if (declaration.phone !== undefined) return { phone: declaration.phone };
  return {};
}

export function toAttributes(attributes: Attributes): Record<string, AttributeValue> {
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
