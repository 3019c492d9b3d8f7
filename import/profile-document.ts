// Exported Braze users to a desired-state file (schema/desired-state.schema.json),
// with comments where the file cannot say everything the export holds. Pure:
// exported users in, YAML text out. Every value is written so that the loader
// reads it back equal: text that YAML would read as something else (a number,
// a date, a boolean, a phone number's "+") is quoted.
import { Document, isScalar, type Node, type Scalar, visit, type YAMLMap } from "yaml";
import { type ExportedUser, nearMissOf, statusIdentifierOf, type SubscriptionState } from "../provider/import-api";

/** Standard fields the export gives under the attribute name the file uses. */
export const STANDARD_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "dob",
  "home_city",
  "country",
  "language",
  "time_zone",
  "gender",
  "email_subscribe",
  "push_subscribe",
] as const;

/**
 * What an import asks /users/export/ids for: every field a desired-state file
 * holds, and the activity counts it reports. Fields Braze fills in itself
 * (braze_id, created_at, apps, devices, total_revenue, random_bucket…) are
 * never asked for, so never written.
 */
export const FIELDS_TO_EXPORT = [
  ...STANDARD_FIELDS,
  "external_id",
  "user_aliases",
  "custom_attributes",
  "last_coordinates",
  "push_tokens",
  "custom_events",
  "purchases",
].sort();

/** Where subscription_groups come from, and whose are missing: said once, at the top of the file. */
export const SUBSCRIPTION_GROUPS_NOTE =
  "subscription_groups are read through GET /subscription/user/status, which lists only groups with a state in a user's history and takes no alias: alias-only users have none written; add theirs by hand";

/** A user's groups by id, as GET /subscription/user/status lists them; undefined when they could not be read. */
export type ImportedGroups = Readonly<Record<string, SubscriptionState>> | undefined;

/** One activity summary of the export: `custom_events` and `purchases` items. */
interface ActivityCount {
  name: string;
  first?: string;
  last?: string;
  count: number;
}

/** A push token as the export gives it: the app's name, not its id. */
interface ExportedPushToken {
  app?: string;
  token?: string;
  device_id?: string;
}

/** The file's text for these users, in the order given, each with its subscription groups at the same index of `groups`. */
export function desiredStateText(users: readonly ExportedUser[], header: readonly string[] = [], groups: readonly ImportedGroups[] = []): string {
  const declarations = users.map((user, index) => userDeclaration(user, groups[index]));
  const intended = [...new Set(declarations.flatMap((declaration) => declaration.slips))].sort();
  const doc = new Document({});
  doc.commentBefore = [...header, SUBSCRIPTION_GROUPS_NOTE].map((line) => ` ${line}`).join("\n");
  const root = doc.contents as YAMLMap;
  if (intended.length > 0) {
    const pair = doc.createPair("intended_custom_attributes", intended);
    (pair.value as Node & { flow?: boolean }).flow = true;
    (pair.key as Node).commentBefore = " Custom attributes Braze holds whose names are one slip away from a standard field's: kept as custom attributes";
    root.items.push(pair);
  }
  const list = doc.createNode(declarations.map((declaration) => declaration.value)) as Node & { items: Array<Node & { commentBefore?: string }> };
  for (const [index, declaration] of declarations.entries()) {
    if (declaration.comments.length > 0) list.items[index].commentBefore = declaration.comments.map((line) => ` ${line}`).join("\n");
  }
  root.set("users", list);
  quoteAmbiguousText(doc);
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** One user's declaration, the names of its custom attributes that need listing as intended, and the comments it needs. */
export function userDeclaration(user: ExportedUser, groups?: ImportedGroups): { value: Record<string, unknown>; slips: string[]; comments: string[] } {
  const comments: string[] = [];
  const value: Record<string, unknown> = {};
  const aliases = [...(user.user_aliases ?? [])];
  if (typeof user.external_id === "string") value.external_id = user.external_id;
  if (aliases.length > 0) {
    const [chosen, ...others] = aliases;
    value.alias = { name: chosen.alias_name, label: chosen.alias_label };
    if (others.length > 0) {
      comments.push(
        `Braze holds ${aliases.length} aliases for this user; a declaration takes one, the first exported (label ${chosen.alias_label}). Not written: ${others
          .map((alias) => `${alias.alias_name} (label ${alias.alias_label})`)
          .join(", ")}`,
      );
    }
  }
  const identified = value.external_id !== undefined;
  // A profile with neither external_id nor alias is known by its email or phone alone.
  const contactOnly = !identified && value.alias === undefined;
  if (contactOnly && typeof user.email === "string") value.email = user.email;
  else if (contactOnly && typeof user.phone === "string") value.phone = user.phone;
  value.adopt = true;

  const attributes: Record<string, unknown> = {};
  for (const field of STANDARD_FIELDS) {
    const fieldValue = user[field];
    if (fieldValue === null || fieldValue === undefined) continue;
    // The identifier already says it: written once.
    if ((field === "email" && value.email !== undefined) || (field === "phone" && value.phone !== undefined)) continue;
    attributes[field] = fieldValue;
  }
  const coordinates = user.last_coordinates;
  if (Array.isArray(coordinates) && coordinates.length === 2) attributes.current_location = { longitude: coordinates[0], latitude: coordinates[1] };
  const tokens = Array.isArray(user.push_tokens) ? (user.push_tokens as ExportedPushToken[]).filter((token) => typeof token?.token === "string") : [];
  if (tokens.length > 0 && identified) {
    attributes.push_tokens = tokens.map((token) => ({
      ...(token.app !== undefined ? { app_id: token.app } : {}),
      token: token.token,
      ...(token.device_id !== undefined ? { device_id: token.device_id } : {}),
    }));
    comments.push(
      "push_tokens: the export names each token's app, not its app_id: replace app_id with the app's identifier (Braze dashboard, Settings > App Settings)",
    );
  } else if (tokens.length > 0) {
    comments.push(`${tokens.length} push token(s) not written: Braze takes push tokens only for users with an external_id`);
  }
  const slips: string[] = [];
  for (const [name, custom] of Object.entries(user.custom_attributes ?? {})) {
    if (custom === null || custom === undefined) continue;
    attributes[name] = custom;
    if (nearMissOf(name) !== undefined) slips.push(name);
  }
  if (Object.keys(attributes).length > 0) value.attributes = attributes;
  if (groups && Object.keys(groups).length > 0)
    value.subscription_groups = Object.fromEntries(
      Object.keys(groups)
        .sort()
        .map((id) => [id, groups[id]]),
    );

  const events = activityCounts(user.custom_events);
  const purchases = activityCounts(user.purchases);
  if (events.length > 0 || purchases.length > 0) {
    comments.push(
      `Braze holds ${describeActivity(events, "custom event")} and ${describeActivity(purchases, "purchase")} (counts only: the export cannot give them one by one, so none is declared)`,
    );
  }
  return { value, slips, comments };
}

/** The user's `custom_events` or `purchases` summaries; none when the export has none. */
export function activityCounts(value: unknown): ActivityCount[] {
  return Array.isArray(value) ? (value as ActivityCount[]).filter((entry) => typeof entry?.count === "number") : [];
}

function describeActivity(counts: readonly ActivityCount[], noun: string): string {
  const total = counts.reduce((sum, entry) => sum + entry.count, 0);
  if (total === 0) return `no ${noun}s`;
  return `${total} ${noun}${total === 1 ? "" : "s"} (${counts.map((entry) => `${entry.name} ×${entry.count}`).join(", ")})`;
}

/**
 * Who GET /subscription/user/status reads the declared user as: its
 * external_id, else (an email-only or phone-only user) its email or phone;
 * undefined for an alias-only user, which that endpoint cannot name.
 */
export function groupReaderOf(user: ExportedUser): ReturnType<typeof statusIdentifierOf> {
  const { value } = userDeclaration(user);
  return statusIdentifierOf({
    ...(typeof value.external_id === "string" ? { externalId: value.external_id } : {}),
    ...(value.alias ? { alias: value.alias as { name: string; label: string } } : {}),
    ...(typeof value.email === "string" ? { email: value.email } : {}),
    ...(typeof value.phone === "string" ? { phone: value.phone } : {}),
  });
}

/**
 * Plain text safe to leave unquoted: it reads back as the same string under
 * YAML 1.1 and 1.2 alike (no number, date, boolean, null, or indicator).
 */
const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9_ ./@-]*$/;
const YAML_WORDS = /^(y|n|yes|no|on|off|true|false|null|~)$/i;

/** Quotes every string value that YAML could read as something else, so the loader reads the same text back. */
function quoteAmbiguousText(doc: Document): void {
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === "key" || !isScalar(node) || typeof node.value !== "string") return;
      const text = node.value;
      if (!PLAIN_SAFE.test(text) || YAML_WORDS.test(text) || text !== text.trim() || text.includes(" #") || text.endsWith(":")) node.type = "QUOTE_DOUBLE";
    },
  });
}
