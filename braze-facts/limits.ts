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
 * Most items a string array attribute keeps; when it is full Braze drops the
 * oldest. Braze's default cap was 25 (raisable to 100) and is 500 in current
 * workspaces, and a workspace keeps the cap it was created with, so the lowest
 * is the one a value must fit to be stored whole everywhere.
 */
export const STRING_ARRAY_MAX_ITEMS = 25;

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
