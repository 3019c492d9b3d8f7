// What JSON Schema cannot say about email-only and phone-only users: which
// profile Braze gives an update addressed by email or phone. Braze matches an
// address, not a spelling (emails without case or surrounding spaces, phones by
// their digits), and gives an email-keyed update to the most recently updated
// profile with that email that has an external_id
// (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/). Two
// declared users that would resolve to one profile would overwrite each other
// on every up, so they are refused before anything is sent.
import { RELATED_PLACE, type Finding, type Segment } from "./schema-issues";

/** An address as Braze matches it: an email trimmed and without case, a phone by its digits. */
export function addressKey(kind: "email" | "phone", address: string): string {
  return kind === "email" ? address.trim().toLowerCase() : address.replace(/\D/g, "");
}

/** What a user of the file declares, as far as addresses go (the schema reports wrong shapes). */
interface DeclaredAddresses {
  external_id?: unknown;
  alias?: unknown;
  email?: unknown;
  phone?: unknown;
  attributes?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const attributeOf = (user: DeclaredAddresses, name: "email" | "phone") =>
  typeof user.attributes === "object" && user.attributes !== null ? text((user.attributes as Record<string, unknown>)[name]) : undefined;
const isAddressed = (user: DeclaredAddresses) => user.external_id === undefined && user.alias === undefined;

/**
 * One email-only or phone-only user's own problems, at `at` (the user's path):
 * an email-only user's attributes.email must be its address (a phone-only
 * user's attributes.phone its number), and a phone-only user cannot set
 * attributes.email (Braze would address the object by that email).
 */
export function ownAddressFindings(user: DeclaredAddresses, at: Segment[]): Finding[] {
  if (!isAddressed(user)) return [];
  const email = text(user.email);
  const profileEmail = attributeOf(user, "email");
  // Exactly equal: Braze stores the spelling sent, so another one would read back as drift.
  if (email !== undefined && profileEmail !== undefined && profileEmail !== email) {
    return [
      {
        segments: [...at, "attributes", "email"],
        target: "value",
        message: `differs from the user's email ${JSON.stringify(email)}: an email-only user is the profile Braze finds by that address, so its email cannot be another; remove attributes.email or make it ${JSON.stringify(email)}`,
      },
    ];
  }
  const phone = text(user.phone);
  const profilePhone = attributeOf(user, "phone");
  if (email === undefined && phone !== undefined && profilePhone !== undefined && profilePhone !== phone) {
    return [
      {
        segments: [...at, "attributes", "phone"],
        target: "value",
        message: `differs from the user's phone ${JSON.stringify(phone)}: a phone-only user is the profile Braze finds by that number, so its phone cannot be another; remove attributes.phone or make it ${JSON.stringify(phone)}`,
      },
    ];
  }
  if (email === undefined && phone !== undefined && profileEmail !== undefined) {
    return [
      {
        segments: [...at, "attributes", "email"],
        target: "value",
        message:
          "cannot be set on a phone-only user: Braze takes the email over the phone as the identifier when an object carries both, so the update would go to the profile with that email; declare the user by email instead (email at the top level, phone kept as attributes.phone)",
      },
    ];
  }
  return [];
}

/**
 * A finding at every user that would resolve to the profile of an earlier one:
 * the same email or phone as an email-only or phone-only user, given as its
 * identifier or as another user's attributes.email or attributes.phone.
 * `describe(index)` names a user in messages (`users[3] (key ada)`).
 */
export function sameProfileFindings(users: readonly DeclaredAddresses[], describe: (index: number) => string, at: (index: number) => Segment[]): Finding[] {
  const findings: Finding[] = [];
  for (const kind of ["email", "phone"] as const) {
    const holders = new Map<string, { index: number; segments: Segment[] }>();
    const claim = (address: string, index: number, segments: Segment[], identifies: boolean) => {
      const key = addressKey(kind, address);
      const first = holders.get(key);
      if (first === undefined) {
        holders.set(key, { index, segments });
        return;
      }
      if (first.index === index) return;
      const how = identifies ? `the ${kind}-only user` : `the user whose attributes.${kind} is ${JSON.stringify(address)}`;
      findings.push({
        segments,
        target: "value",
        related: first.segments,
        message:
          `${how} resolves to the same Braze profile as ${describe(first.index)}${RELATED_PLACE}: Braze gives an update addressed by ${kind} to one profile holding it ` +
          `(the most recently updated one with an external_id), so both would write one profile; declare the profile once, or give each user its own ${kind}`,
      });
    };
    // Identifiers first, so a profile field is reported against the address-only user it collides with.
    users.forEach((user, index) => {
      const address = isAddressed(user) ? (kind === "email" ? text(user.email) : text(user.email) === undefined ? text(user.phone) : undefined) : undefined;
      if (address !== undefined) claim(address, index, [...at(index), kind], true);
    });
    users.forEach((user, index) => {
      const address = attributeOf(user, kind);
      // Another user's profile field collides only with an address-only user's identifier.
      if (address === undefined || !holders.has(addressKey(kind, address))) return;
      claim(address, index, [...at(index), "attributes", kind], false);
    });
  }
  return findings;
}
