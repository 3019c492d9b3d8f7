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

