// Braze's documented size limits that both readings of its rules share: the
// provider refuses values over them before sending, braze-local rejects them
// on receipt. Plain numbers only; each side measures with its own code.

/**
 * Largest nested custom attribute (an object or an array of objects), in bytes
 * of its compact UTF-8 JSON as sent. Braze documents "100 KB" (older pages:
 * 50 KB) without saying whether a KB is 1,000 or 1,024 bytes, or how the value
 * is serialised; an update over it is dropped silently. 100,000 is the lower
 * reading, so a value under it fits either way.
 */
export const NESTED_ATTRIBUTE_MAX_BYTES = 100_000;

/**
 * Most items a string array attribute keeps when the workspace's setting is not
 * given: Braze's current default, "up to 500 items"; past it Braze drops the
 * oldest silently (https://www.braze.com/docs/user_guide/data/activation/custom_data/data_types/).
 * A workspace keeps the cap it was created with (older ones: 25, raisable to
 * 100), so the provider takes the workspace's own as `braze:stringArrayMaxItems`
 * and braze-local as `--string-array-max-items`.
 */
export const DEFAULT_STRING_ARRAY_MAX_ITEMS = 500;

/**
 * Largest properties object of an event or purchase that holds a list or a
 * mapping, in bytes of its compact UTF-8 JSON as sent. Braze's event object
 * page says "up to 100 KB" (the purchase object page still says 50 KB);
 * 100,000 is the lower reading of 100 KB, as for nested attributes.
 */
export const EVENT_PROPERTIES_MAX_BYTES = 100_000;

/** Most properties one event or purchase keeps: Braze drops the others (docs/braze-rules.md). */
export const EVENT_PROPERTIES_MAX_COUNT = 256;

/** Largest `quantity` of one purchase (Braze's purchase object: "must be <= 100"); braze-local refuses more too. */
export const PURCHASE_MAX_QUANTITY = 100;
