// Braze's standard profile fields that a desired state may manage, with what
// the delta needs to know about each. Every other attribute key is custom.
// The schema refuses the standard fields missing here (identifiers, control keys,
// and fields that cannot be read back through /users/export/ids).

export interface StandardAttribute {
  /** Field name in POST /users/export/ids (`fields_to_export` and the response). */
  exportField: string;
  /** Whether setting it costs a data point (data points: profile fields are billable; subscription states are not). */
  billable: boolean;
  /**
   * Whether `null` may be sent to unset it. The global subscription states have
   * no "unknown" to go back to (only opted_in / subscribed / unsubscribed), and
   * push tokens cannot be removed, so removing one of those from the desired
   * state releases it instead of unsetting it.
   */
  unsettable: boolean;
}

const profileField = (exportField: string): StandardAttribute => ({ exportField, billable: true, unsettable: true });
const subscriptionField = (exportField: string): StandardAttribute => ({ exportField, billable: false, unsettable: false });

export const STANDARD_ATTRIBUTES: Readonly<Record<string, StandardAttribute>> = {
  first_name: profileField("first_name"),
  last_name: profileField("last_name"),
  home_city: profileField("home_city"),
  email: profileField("email"),
  phone: profileField("phone"),
  gender: profileField("gender"),
  dob: profileField("dob"),
  // Billable only when set through the API (free when the SDK collects them), which is what we do.
  country: profileField("country"),
  language: profileField("language"),
  time_zone: profileField("time_zone"),
  // Set as {longitude, latitude}, exported as last_coordinates [lon, lat]; billed as one
  // "most recent location" data point, not per key.
  current_location: profileField("last_coordinates"),
  email_subscribe: subscriptionField("email_subscribe"),
  push_subscribe: subscriptionField("push_subscribe"),
  // Free, and never unset: each token sent joins the profile's, and /users/track has no way to
  // remove one (https://www.braze.com/docs/api/objects_filters/user_attributes_object/), so
  // removing push_tokens from the file releases them. Exported as [{app, platform, token, device_id, ...}].
  push_tokens: { exportField: "push_tokens", billable: false, unsettable: false },
};

export function standardAttribute(key: string): StandardAttribute | undefined {
  return Object.hasOwn(STANDARD_ATTRIBUTES, key) ? STANDARD_ATTRIBUTES[key] : undefined;
}

/** Keys of an attributes object that address or steer the update rather than set a value. */
export const CONTROL_KEYS: ReadonlySet<string> = new Set([
  "external_id",
  "user_alias",
  "braze_id",
  "_update_existing_only",
  "_merge_objects",
  "push_token_import",
]);
