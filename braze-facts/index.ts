// Plain facts about Braze (and braze-local's defaults) that the provider and
// braze-local both read. Only tables and numbers live here, never a rule's
// code: the two sides keep independent readings of Braze's rules, and a
// differential test (test/server/differential.test.ts) keeps them in agreement.
export { DEFAULT_HOST, DEFAULT_PORT, DEVELOPMENT_API_KEY } from "./local-server";
export {
  EVENT_PROPERTIES_MAX_BYTES,
  EVENT_PROPERTIES_MAX_COUNT,
  NESTED_ATTRIBUTE_MAX_BYTES,
  PURCHASE_MAX_QUANTITY,
  DEFAULT_STRING_ARRAY_MAX_ITEMS,
} from "./limits";
export { ISO_3166_ALPHA2_CODES } from "./countries";
export { ISO_4217_CURRENCY_CODES } from "./currencies";
