// The JSON objects exchanged with Braze's user-data endpoints, as the provider
// sends and reads them. Shapes only; the rules for building them live in
// provider/delta.

/** A user alias on the wire (user alias object). */
export interface UserAliasObject {
  alias_name: string;
  alias_label: string;
}

/**
 * How an object names its user: `external_id` for an identified profile,
 * `user_alias` for an alias-only one, `email` or `phone` for an email-only or
 * phone-only one; never two (Braze's newest /users/track
 * docs call them mutually exclusive in one object:
 * https://www.braze.com/docs/api/endpoints/user_data/post_user_track/).
 */
export type UserIdentifier =
  | { external_id: string; user_alias?: undefined; email?: undefined; phone?: undefined }
  | { user_alias: UserAliasObject; external_id?: undefined; email?: undefined; phone?: undefined }
  /** An email-only profile; Braze gives an update by email to the most recently updated profile with it that has an external_id. */
  | { email: string; external_id?: undefined; user_alias?: undefined; phone?: undefined }
  /** A phone-only profile; needs a valid number. */
  | { phone: string; external_id?: undefined; user_alias?: undefined; email?: undefined };

/** One entry of POST /users/alias/new's `user_aliases` that attaches an alias to an identified profile. */
export interface AliasAttachment {
  external_id: string;
  alias_name: string;
  alias_label: string;
}

/**
 * One entry of POST /users/identify's `aliases_to_identify`: gives the
 * alias-only profile holding `user_alias` the external_id (or merges it into
 * the profile that has it), keeping its data.
 * https://www.braze.com/docs/api/endpoints/user_data/post_user_identify/
 */
export interface AliasIdentification {
  external_id: string;
  user_alias: { alias_name: string; alias_label: string };
  email?: undefined;
}

/**
 * One entry of POST /users/external_ids/rename's `external_id_renames`: the
 * identified profile gets `new_external_id` as its primary id and keeps
 * `current_external_id` as a deprecated one until /users/external_ids/remove.
 * https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/
 */
export interface ExternalIdRename {
  current_external_id: string;
  new_external_id: string;
}

/**
 * One entry of POST /users/identify's `emails_to_identify`: gives the
 * email-only profile `prioritization` picks among those holding `email` the
 * external_id (or merges it into the profile that has it), keeping its data.
 */
export interface EmailIdentification {
  external_id: string;
  email: string;
  prioritization: string[];
  user_alias?: undefined;
}

/** A user identified in place: an alias-only or an email-only profile given an external_id. */
export type Identification = AliasIdentification | EmailIdentification;

/** One entry of POST /users/alias/update's `alias_updates`: renames an alias within its label. */
export interface AliasUpdate {
  alias_label: string;
  old_alias_name: string;
  new_alias_name: string;
}

export interface SubscriptionGroupUpdate {
  subscription_group_id: string;
  subscription_state: "subscribed" | "unsubscribed";
}

/**
 * Any attribute value on the wire: a set value, `null` (unset), an array
 * operation (`{ add, remove }`), a nested object or `{ $time }`.
 */
export type TrackAttributeValue = string | number | boolean | null | TrackAttributeValue[] | { [key: string]: TrackAttributeValue };

/**
 * One user attributes object of POST /users/track, addressed by external_id or
 * by alias (one of the two: UserIdentifier). Control keys are typed; every other
 * key is an attribute (standard or custom).
 */
export interface TrackAttributesObject {
  external_id?: string;
  user_alias?: UserAliasObject;
  /** false creates the user when Braze has none (the default for external_id, not for aliases); true skips it. */
  _update_existing_only: boolean;
  /** true: nested objects sent here are deep-merged into what Braze holds instead of replacing it. */
  _merge_objects?: boolean;
  subscription_groups?: SubscriptionGroupUpdate[];
  [attribute: string]: TrackAttributeValue | UserAliasObject | SubscriptionGroupUpdate[] | undefined;
}

/**
 * One user as returned in `users` by POST /users/export/ids. Fields not asked
 * for in `fields_to_export`, or not set, are absent (Braze: "assume null, false
 * or empty"). Standard attributes sit at the top level under their export names;
 * custom attributes under `custom_attributes`.
 */
export interface ExportedUser {
  user_aliases?: UserAliasObject[];
  braze_id?: string;
  external_id?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  dob?: string | null;
  home_city?: string | null;
  country?: string | null;
  language?: string | null;
  time_zone?: string | null;
  gender?: string | null;
  email_subscribe?: string | null;
  push_subscribe?: string | null;
  /** [longitude, latitude] per the field list (Braze's sample output shows latitude first). */
  last_coordinates?: [number, number] | null;
  custom_attributes?: Record<string, unknown> | null;
  /** `[{app, platform, token, device_id, notifications_enabled}]`, `app` being the app's name (../delta/observed-push-tokens.ts). */
  push_tokens?: unknown;
  [field: string]: unknown;
}

/** Properties of an event or purchase object. */
export type TrackProperties = { [key: string]: TrackAttributeValue };

/**
 * One event object of POST /users/track. `_update_existing_only` is always
 * true: with a user_alias Braze never creates a user from an event ("always
 * true"), and sending it says so whatever a reading of the pages holds; with an
 * external_id it keeps an event from creating a profile the attributes object
 * did not (a profile deleted outside the stack stays missing).
 */
export interface TrackEventObject {
  external_id?: string;
  user_alias?: UserAliasObject;
  _update_existing_only: true;
  name: string;
  time: string;
  app_id?: string;
  properties?: TrackProperties;
}

/** One purchase object of POST /users/track (`_update_existing_only` as for events). */
export interface TrackPurchaseObject {
  external_id?: string;
  user_alias?: UserAliasObject;
  _update_existing_only: true;
  product_id: string;
  currency: string;
  price: number;
  quantity?: number;
  time: string;
  app_id?: string;
  properties?: TrackProperties;
}

/** `{name, first, last, count}` per event name (`custom_events`) or product id (`purchases`) in an export. */
export interface ExportedActivity {
  name: string;
  first?: string;
  last?: string;
  count: number;
}
