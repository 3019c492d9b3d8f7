import type { AliasAttachment, AliasUpdate, ExternalIdRename, Identification, TrackAttributeValue, TrackAttributesObject } from "../braze/wire-types";
import { countDataPoints } from "./data-points";
import { assertNever, diffUser, isChange, type Hint, type PropertyChange } from "./diff-user";
import type { AttributeValue, ManagedUser, NestedObject } from "../model/managed-user";
import { mergePatch } from "./merge-patch";
import { formatPropertyPath } from "../model/property-path";
import { addressedTo, subscriptionGroupList, wireIdentifier } from "./track-object";
import { isMergeableObject, isNestedAttribute } from "../model/value-kinds";

export interface UpdatePlan {
  /** The user must be deleted and created again (planCreate); nothing else in the plan is sent. */
  replace: boolean;
  replaceReason?: string;
  /**
   * Why the change cannot be made at all (an external_id given to, taken from
   * or changed on a recorded user): nothing of the set may be sent.
   */
  refusal?: string;
  /**
   * POST /users/identify entry: the alias-only user gains its external_id in
   * place, sent before `attributes`, which address it by that external_id.
   */
  identify?: Identification;
  /**
   * POST /users/external_ids/rename entry: the identified user's external_id
   * changed under the same key, so the same profile takes the new id, sent
   * before `attributes`, which address it by the new id; the old id is then
   * removed (/users/external_ids/remove).
   */
  renameExternalId?: ExternalIdRename;
  /** POST /users/alias/new entry: an alias the identified user did not have, attached to it after its attributes. */
  attach?: AliasAttachment;
  /**
   * POST /users/alias/update entry. The provider sends it before `attributes`,
   * which already address the user by the new alias name.
   */
  rename?: AliasUpdate;
  /** The one /users/track attributes object carrying every change; undefined when no attribute or group changed. */
  attributes?: TrackAttributesObject;
  /** Changed properties as paths (`alias.name`, `attributes.dob`, `subscriptionGroups["id"]`), for Pulumi's diff. */
  changedProperties: string[];
  /** Differences nothing is sent for (see Hint). */
  hints: Hint[];
}

/**
 * The smallest set of calls that turns `recorded` into `desired` in Braze: only
 * changed attributes and subscription groups are sent, a removed attribute as
 * `null`, unchanged keys never.
 */
export function planUpdate(recorded: ManagedUser, desired: ManagedUser): UpdatePlan {
  const diff = diffUser(recorded, desired);
  const changedAttributes = diff.attributes.filter(isChange);
  const changedGroups = diff.subscriptionGroups.filter(isChange);
  const changedProperties = [
    ...[diff.externalId].filter(isChange).map(() => "externalId"),
    ...[diff.alias.label, diff.alias.name].filter(isChange).map((change) => formatPropertyPath(["alias", change.key])),
    ...changedAttributes.map((change) => formatPropertyPath(["attributes", change.key])),
    ...changedGroups.map((change) => formatPropertyPath(["subscriptionGroups", change.key])),
  ];

  const refusal = identityRefusal(recorded, desired);
  if (refusal) return { replace: false, refusal, changedProperties, hints: diff.hints };

  if (desired.externalId === undefined && diff.alias.label.kind === "modified") {
    // Braze renames an alias only within its label (/users/alias/update takes one
    // alias_label); there is no call that moves an alias to another label.
    return {
      replace: true,
      replaceReason: `alias.label changed from ${JSON.stringify(recorded.alias?.label)} to ${JSON.stringify(desired.alias?.label)}: Braze cannot relabel an alias, so the user is deleted and created again`,
      changedProperties,
      hints: diff.hints,
    };
  }

  const plan: UpdatePlan = { replace: false, changedProperties, hints: diff.hints };
  if (recorded.alias && desired.alias && diff.alias.name.kind === "modified") {
    plan.rename = { alias_label: desired.alias.label, old_alias_name: recorded.alias.name, new_alias_name: desired.alias.name };
  }
  const identify = identificationOf(recorded, desired);
  if (identify) plan.identify = identify;
  const renameExternalId = externalIdRenameOf(recorded, desired);
  if (renameExternalId) plan.renameExternalId = renameExternalId;
  if (!recorded.alias && desired.alias && desired.externalId !== undefined) {
    plan.attach = { external_id: desired.externalId, alias_name: desired.alias.name, alias_label: desired.alias.label };
  }
  if (changedAttributes.length > 0 || changedGroups.length > 0) {
    const object = attributesDelta(desired, changedAttributes);
    const groups = subscriptionGroupList(Object.fromEntries(changedGroups.map((change) => [change.key, desired.subscriptionGroups[change.key]])));
    if (groups.length > 0) object.subscription_groups = groups;
    plan.attributes = object;
  }
  return plan;
}

/**
 * The /users/identify entry when an alias-only user keeps its alias and gains
 * an external_id, or an email-only user gains one (and no alias): Braze gives
 * that profile the id, keeping its data.
 * https://www.braze.com/docs/api/endpoints/user_data/post_user_identify/
 */
export function identificationOf(recorded: ManagedUser, desired: ManagedUser): Identification | undefined {
  if (isEmailIdentification(recorded, desired)) {
    return { external_id: desired.externalId!, email: recorded.email!, prioritization: [...ADDRESS_IDENTIFY_PRIORITIZATION] };
  }
  if (recorded.externalId !== undefined || desired.externalId === undefined || !recorded.alias || !desired.alias) return undefined;
  if (aliasText(recorded) !== aliasText(desired)) return undefined;
  return { external_id: desired.externalId, user_alias: { alias_name: recorded.alias.name, alias_label: recorded.alias.label } };
}

/**
 * The /users/external_ids/rename entry when an identified user's external_id
 * changed: Braze gives the same profile the new id, keeping its data.
 * https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/
 */
export function externalIdRenameOf(recorded: ManagedUser, desired: ManagedUser): ExternalIdRename | undefined {
  if (recorded.externalId === undefined || desired.externalId === undefined || recorded.externalId === desired.externalId) return undefined;
  return { current_external_id: recorded.externalId, new_external_id: desired.externalId };
}

/**
 * Why a recorded user cannot become the desired one, if it cannot. Braze
 * keeps an external_id for good once a profile has it (it can be renamed,
 * /users/external_ids/rename, but not taken away); an alias-only profile is
 * identified in place only under the alias it has (/users/identify names the
 * profile by it); an identified user's alias can be attached and renamed, but
 * Braze has no call that takes one off a profile or relabels it. An
 * external_id and an alias name renamed in one up would each need the other's
 * rename first to find the profile, so they are refused together.
 */
export function identityRefusal(recorded: ManagedUser, desired: ManagedUser): string | undefined {
  const addressRefusal = addressChangeRefusal(recorded, desired);
  if (addressRefusal !== undefined) return addressRefusal;
  const [from, to] = [recorded.externalId, desired.externalId];
  if (from === undefined && to !== undefined && !identificationOf(recorded, desired)) {
    return (
      `external_id ${JSON.stringify(to)} was added to the alias-only user ${aliasText(recorded)} while its alias changed to ${aliasText(desired)}: ` +
      `Braze identifies an alias-only user only under the alias it has. Keep the alias ${aliasText(recorded)} in this up (its external_id is given in place), then change the alias in another`
    );
  }
  if (from !== undefined && to === undefined) {
    return `external_id ${JSON.stringify(from)} was removed: Braze keeps an external_id for good once a profile has it. Put external_id back; to stop managing the user, remove it from the file (that deletes it)`;
  }
  if (to !== undefined && recorded.alias && (!desired.alias || desired.alias.label !== recorded.alias.label)) {
    return (
      `the alias ${aliasText(recorded)} of the identified user ${JSON.stringify(to)} was ${desired.alias ? "relabelled" : "removed"}: Braze has no call that takes an alias off a profile. ` +
      `Put the alias back (a new name within the same label is a rename)`
    );
  }
  if (from !== undefined && to !== undefined && from !== to && recorded.alias && desired.alias && aliasText(recorded) !== aliasText(desired)) {
    return (
      `external_id changed from ${JSON.stringify(from)} to ${JSON.stringify(to)} while its alias changed from ${aliasText(recorded)} to ${aliasText(desired)}: ` +
      `Braze renames one identifier at a time. Keep the alias ${aliasText(recorded)} in this up (the external_id is renamed in place), then change the alias in another`
    );
  }
  return undefined;
}

/**
 * Why an alias-only or email-only user whose creation got no answer cannot be
 * identified yet, if that is what `desired` asks: /users/identify needs that
 * profile to exist, and whether it does is unknown until an up without the
 * external_id creates it for sure.
 */
export function identifiedWhileUnsure(recorded: ManagedUser, desired: ManagedUser): string | undefined {
  if (!identificationOf(recorded, desired)) return undefined;
  return (
    `external_id ${JSON.stringify(desired.externalId)} was added to the ${recorded.alias ? `alias-only user ${aliasText(recorded)}` : `email-only user ${recorded.email}`}, whose creation got no answer: ` +
    `whether Braze holds it is unknown, and /users/identify needs it. Run "pulumi up" once without the external_id, then add it`
  );
}

/**
 * Why an email-only or phone-only user cannot become `desired` under the same
 * key, if it cannot: its profile is the one Braze finds by that address, so
 * another address or another kind of identifier is another profile. Only an
 * email-only user given an external_id alone is identified in place
 * (isEmailIdentification).
 */
function addressChangeRefusal(recorded: ManagedUser, desired: ManagedUser): string | undefined {
  const [from, to] = [addressText(recorded), addressText(desired)];
  if ((from === undefined && to === undefined) || from === to || isEmailIdentification(recorded, desired)) return undefined;
  const what =
    from === undefined
      ? `the user became ${to} under the same key`
      : to === undefined
        ? `the ${from.split(" ")[0]}-only user ${from} was given ${desired.externalId !== undefined ? `external_id ${JSON.stringify(desired.externalId)}` : `the alias ${aliasText(desired)}`} under the same key`
        : `the ${from.split(" ")[0]}-only user's identifier changed from ${from} to ${to} under the same key`;
  return (
    `${what}: an email-only or phone-only user is the profile Braze finds by its address, so this would be another profile; only an email-only user given an ` +
    `external_id alone is identified in place (/users/identify with emails_to_identify). Put the old identifier back (add an alias in a later up), or give the user a new key so the old profile is deleted and a new one created`
  );
}

/**
 * Which of the profiles holding the email /users/identify gives the
 * external_id: the email-only one the set created has none ("unidentified"),
 * and it is the one the set kept updating ("most_recently_updated").
 */
const ADDRESS_IDENTIFY_PRIORITIZATION = ["unidentified", "most_recently_updated"] as const;

/**
 * An email-only user that gains an external_id (and no alias) under the same
 * key: Braze identifies it in place with /users/identify's `emails_to_identify`
 * (https://www.braze.com/docs/api/endpoints/user_data/post_user_identify/).
 */
function isEmailIdentification(recorded: ManagedUser, desired: ManagedUser): boolean {
  return addressText(recorded)?.startsWith("email ") === true && desired.externalId !== undefined && desired.alias === undefined;
}

/** `email a@b.c` or `phone +1555…` for an email-only or phone-only user. */
function addressText(user: ManagedUser): string | undefined {
  if (user.externalId !== undefined || user.alias !== undefined) return undefined;
  if (user.email !== undefined) return `email ${user.email}`;
  return user.phone !== undefined ? `phone ${user.phone}` : undefined;
}

function aliasText(user: ManagedUser): string {
  return user.alias ? `${user.alias.label}/${user.alias.name}` : "(no alias)";
}

/** One changed attribute as it will be sent: its whole desired value, and a merge patch when one can express it. */
interface OutgoingAttribute {
  key: string;
  whole: TrackAttributeValue;
  /** Set for a nested object whose change a deep merge reproduces exactly. */
  patch?: NestedObject;
  /** Whether the whole value is a nested object or array of objects, which `_merge_objects` would merge instead of replace. */
  nested: boolean;
}

function attributesDelta(desired: ManagedUser, changes: Array<PropertyChange<AttributeValue>>): TrackAttributesObject {
  const outgoing = changes.map(outgoingAttribute);

  // `_merge_objects` is one flag for the whole attributes object, so it is only
  // used when every nested value sent is a patch made for it: a nested value sent
  // whole under the flag would be merged into what Braze holds, keeping keys the
  // desired state no longer has. And it is only used when it saves data points
  // (1 per key sent at every depth), since a patch never has more keys than the
  // whole object but may have as many.
  const wholeObject = build(desired, outgoing, false);
  const nested = outgoing.filter((attribute) => attribute.nested);
  if (nested.length === 0 || !nested.every((attribute) => attribute.patch !== undefined)) return wholeObject;
  const mergeObject = build(desired, outgoing, true);
  return countDataPoints(mergeObject) < countDataPoints(wholeObject) ? mergeObject : wholeObject;
}

function outgoingAttribute(change: PropertyChange<AttributeValue>): OutgoingAttribute {
  switch (change.kind) {
    case "added":
      return { key: change.key, whole: change.to, nested: isNestedAttribute(change.key, change.to) };
    case "removed":
      // `"key": null` unsets an attribute, a whole nested object included (1 data point).
      return { key: change.key, whole: null, nested: false };
    case "modified": {
      // Arrays of strings are always set whole, never as `{add, remove}`: a whole
      // set costs 1 data point, while `add` costs 1 per value added (so at least 1),
      // and a whole set lands on exactly the desired array whatever Braze held,
      // where `add` (append, or move to the end if present) and `remove` would need
      // the recorded array to be exactly what Braze holds.
      const nested = isNestedAttribute(change.key, change.to);
      const patch =
        nested && isNestedAttribute(change.key, change.from) && isMergeableObject(change.from) && isMergeableObject(change.to)
          ? mergePatch(change.from, change.to)
          : undefined;
      return { key: change.key, whole: change.to, patch, nested };
    }
    case "unchanged":
      throw new Error(`attribute ${change.key} is unchanged; only changes are sent`);
    default:
      return assertNever(change);
  }
}

function build(desired: ManagedUser, outgoing: OutgoingAttribute[], merge: boolean): TrackAttributesObject {
  const object = addressedTo(desired, false);
  if (merge) object._merge_objects = true;
  for (const attribute of outgoing) {
    object[attribute.key] = merge && attribute.patch !== undefined ? attribute.patch : attribute.whole;
  }
  // An email-only user's email (a phone-only user's phone) is its identifier: an
  // attributes.email removed from the file must not unset it, which would leave
  // the object addressed to nobody.
  return Object.assign(object, wireIdentifier(desired));
}
