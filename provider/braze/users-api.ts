// Braze's user-data endpoints as the provider uses them, each behind a
// MicroBatcher so that the calls of many resources in one `pulumi up` become few
// requests within Braze's per-request caps. Maps each answer back to the object
// that caused it.
import chunk from "lodash/chunk";
import groupBy from "lodash/groupBy";
import { MicroBatcher, type ItemOutcome } from "../batching/micro-batcher";
import { carriesNestedAttribute, isNestedAttribute } from "../model/value-kinds";
import type { BrazeClient } from "./client";
import { BrazeObjectError } from "./errors/braze-object-error";
import { SharedAddressError } from "./errors/shared-address-error";
import { NestedUpdatesDroppedError } from "./errors/nested-updates-dropped-error";
import { BrazeRequestError } from "./errors/braze-request-error";
import { BrazeUnreachableError } from "./errors/braze-unreachable-error";
import { RateLimitWaitError } from "./errors/rate-limit-wait-error";
import { TrackCapExceededError } from "./errors/track-cap-exceeded-error";
import { ExternalIdRemoveError } from "./errors/external-id-remove-error";
import { ExternalIdRenameError } from "./errors/external-id-rename-error";
import { UnexpectedAnswerError } from "./errors/unexpected-answer-error";
import {
  attributesCap,
  configLinesFor,
  describeCaps,
  packBundles,
  smallerCaps,
  trackCaps,
  type CapScope,
  type TrackBundle,
  type TrackCaps,
} from "./track-packing";
import {
  statesOfAnswer,
  statusQuery,
  STATUS_USERS_PER_REQUEST,
  SUBSCRIPTION_STATUS_PATH,
  type GroupStateRead,
  type StatusParameter,
} from "./subscription-status";
import type { SubscriptionState } from "../model/managed-user";
import type {
  AliasAttachment,
  AliasUpdate,
  ExportedUser,
  ExternalIdRename,
  Identification,
  TrackAttributesObject,
  UserAliasObject,
  UserIdentifier,
} from "./wire-types";

/** The largest cap Braze has documented for a /users/track request: 75 objects (per array on legacy contracts, combined today). */
export const TRACK_MAX_OBJECTS = 75;
/**
 * The cap every current workspace accepts: 50 objects across attributes,
 * events and purchases (Monthly Active Users CY 24-25 contracts), the smallest
 * of Braze's three regimes (75 per array, 75 combined, 50 combined).
 */
export const DEFAULT_MAX_OBJECTS_PER_REQUEST = 50;
/** Braze's answer to a /users/track request over the workspace's cap (status 400; nothing of it is processed). */
export const MAX_INPUT_LENGTH_EXCEEDED = "Max Input Length Exceeded";
/** Braze's cap on identifiers per /users/delete, /users/alias/new, /users/alias/update and /users/export/ids request. */
export const IDENTIFIERS_PER_REQUEST = 50;
/**
 * Requests one bulk call keeps in flight. braze-local (one SQLite writer) is
 * saturated by about four; Braze's /users/track allows 3,000 requests per 3 s, so
 * more would not be refused, but would only queue behind one another there too.
 */
export const REQUESTS_IN_FLIGHT = 4;

/**
 * What became of one object of a bulk call. A failure may be a refusal or a
 * request whose outcome is unknown; callers treat both as "not known to be applied".
 */
export type BulkOutcome<R = void> = ItemOutcome<R>;

/**
 * What became of one event or purchase: applied (answered, not refused), failed
 * (refused, or its request was not applied), or unknown (no answer, or a 5xx:
 * Braze may hold it, so it is never sent again before Braze's counts are read).
 */
export type EntryOutcome = { state: "applied" } | { state: "failed"; error: Error } | { state: "unknown"; error: Error };

/** What became of one bundle: its attributes object, and each event then each purchase, in order. */
export interface BundleOutcome {
  attributes?: ItemOutcome<void>;
  events: EntryOutcome[];
  purchases: EntryOutcome[];
  /** Which request of the pass carried it (its entries reached Braze all or none). */
  request: number;
}

interface TrackResponse {
  message: string;
  attributes_processed?: number;
  errors?: Array<{ type?: unknown; input_array?: unknown; index?: unknown }>;
}

interface ExportResponse {
  message: string;
  users?: ExportedUser[];
  invalid_user_ids?: unknown[];
}

interface ExportRequest {
  identifier: UserIdentifier;
  fields: readonly string[];
}

export interface UsersApiOptions {
  /** `braze:maxObjectsPerRequest`: objects per /users/track request, at most TRACK_MAX_OBJECTS. */
  maxObjectsPerRequest: number;
  /** `braze:objectCapScope`: whether that cap counts the three arrays together or each apart. @default "combined" */
  capScope?: CapScope;
  /** Where the one line announcing lowered caps goes: the `pulumi up` output. @default nowhere */
  notice?: (line: string) => void;
}

export class BrazeUsersApi {
  readonly #track: MicroBatcher<TrackAttributesObject, void>;
  readonly #delete: MicroBatcher<UserIdentifier, void>;
  readonly #rename: MicroBatcher<AliasUpdate, void>;
  readonly #export: MicroBatcher<ExportRequest, ExportedUser | undefined>;

  readonly #client: BrazeClient;
  /** Lowered for the rest of the process when Braze refuses a request as too large. */
  #caps: TrackCaps;
  readonly #notice: (line: string) => void;

  constructor(client: BrazeClient, options: UsersApiOptions) {
    this.#client = client;
    this.#caps = trackCaps(Math.min(options.maxObjectsPerRequest, TRACK_MAX_OBJECTS), options.capScope ?? "combined");
    this.#notice = options.notice ?? (() => undefined);
    this.#track = new MicroBatcher({ maxItems: attributesCap(this.#caps), send: (objects) => this.#sendAttributes(objects, sendTrack) });
    this.#delete = new MicroBatcher({ maxItems: IDENTIFIERS_PER_REQUEST, send: (aliases) => sendDelete(client, aliases) });
    this.#rename = new MicroBatcher({ maxItems: IDENTIFIERS_PER_REQUEST, send: (updates) => sendRename(client, updates) });
    this.#export = new MicroBatcher({ maxItems: IDENTIFIERS_PER_REQUEST, send: (requests) => sendExport(client, requests) });
  }

  /**
   * Sends every object at once, in ceil(objects / cap) requests, and says what
   * became of each. Never throws for Braze's answers: a failed request fails its
   * own objects only.
   */
  trackAll(objects: readonly TrackAttributesObject[]): Promise<BulkOutcome[]> {
    return inChunks(objects, attributesCap(this.#caps), (part) => this.#sendAttributes(part));
  }

  /** Objects one /users/track request may hold now (lower than configured once Braze refused a request as too large). */
  get trackCaps(): TrackCaps {
    return this.#caps;
  }

  /**
   * Attributes objects in requests within the caps. A request Braze refuses as
   * too large is sent again at once, cut to the lowered caps: Braze processed
   * nothing of it, and attributes are idempotent anyway.
   */
  async #sendAttributes(objects: readonly TrackAttributesObject[], send: AttributesSend = sendTrackResendingDropped): Promise<Array<ItemOutcome<void>>> {
    const cap = attributesCap(this.#caps);
    if (objects.length > cap) {
      const outcomes: Array<ItemOutcome<void>> = [];
      for (const part of chunk(objects as TrackAttributesObject[], cap)) outcomes.push(...(await this.#sendAttributes(part, send)));
      return outcomes;
    }
    try {
      return await send(this.#client, objects);
    } catch (error) {
      if (this.#lowerCapsAfter(error, objects.length)) return this.#sendAttributes(objects, send);
      throw error;
    }
  }

  /**
   * Whether `error` is Braze refusing a request of `objects` objects as too
   * large and the caps are now below that size (lowered here, or already by
   * a request refused at the same time). Announces each lowering once, with
   * the config that avoids the refusal.
   */
  #lowerCapsAfter(error: unknown, objects: number): boolean {
    if (!(error instanceof BrazeRequestError) || error.status !== 400 || !isMaxInputLengthExceeded(error.body)) return false;
    if (objects > this.#caps.combined) return true;
    const smaller = smallerCaps(this.#caps, objects);
    if (!smaller) return false;
    this.#caps = smaller;
    this.#notice(
      `braze: Braze refused a /users/track request of ${objects} objects (400 ${MAX_INPUT_LENGTH_EXCEEDED}); its objects are sent again in smaller ` +
        `requests, and the rest of this run sends at most ${describeCaps(smaller)}. To avoid the refused request, run: ${configLinesFor(smaller).join(" && ")}`,
    );
    return true;
  }

  /**
   * Sends bundles (each fitting one request: see splitBundle), packed into as
   * few requests as the caps allow, and says what became of every object. A
   * request carrying events or purchases is never sent again after a 5xx or a
   * lost answer (only after a 429): its entries come back "unknown".
   */
  async trackBundles(bundles: readonly TrackBundle[]): Promise<BundleOutcome[]> {
    const requests = packBundles(bundles, this.#caps);
    const outcomes: BundleOutcome[] = new Array(bundles.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const members = requests[index].map((position) => bundles[position]);
        const answered = await sendBundles(this.#client, members, {
          sendAttributes: (objects) => this.#sendAttributes(objects),
          lowerCapsAfter: (error, objects) => this.#lowerCapsAfter(error, objects),
        });
        requests[index].forEach((position, offset) => (outcomes[position] = { ...answered[offset], request: index }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, requests.length) }, worker));
    return outcomes;
  }

  /** Deletes these users, 50 per request and one kind of identifier per request; an unknown one is nothing to delete. */
  async deleteAll(identifiers: readonly UserIdentifier[]): Promise<BulkOutcome[]> {
    // Grouped by kind first, so each request of 50 holds one kind.
    const order = identifiers.map((_identifier, index) => index).sort((a, b) => kindOf(identifiers[a]).localeCompare(kindOf(identifiers[b])) || a - b);
    const answered = await inChunks(
      order.map((index) => identifiers[index]),
      IDENTIFIERS_PER_REQUEST,
      (part) => sendDelete(this.#client, part),
    );
    const outcomes: BulkOutcome[] = new Array(identifiers.length);
    order.forEach((index, position) => (outcomes[index] = answered[position]));
    return outcomes;
  }

  /**
   * Attaches aliases to identified profiles, 50 per request. Braze does nothing
   * for an external_id it does not know, and answers an alias the profile holds
   * already as done; an alias another profile holds is refused.
   */
  attachAll(attachments: readonly AliasAttachment[]): Promise<BulkOutcome[]> {
    return inChunks(attachments, IDENTIFIERS_PER_REQUEST, (part) => sendAttach(this.#client, part));
  }

  /**
   * Identifies alias-only profiles in place, 50 per request: each keeps its
   * attributes, events and purchases and gains the external_id (or is merged
   * into the profile that has it already).
   */
  identifyAll(identifications: readonly Identification[]): Promise<BulkOutcome[]> {
    return inChunks(identifications, IDENTIFIERS_PER_REQUEST, (part) => sendIdentify(this.#client, part));
  }

  /**
   * Gives identified profiles new external_ids, 50 per request; each keeps its
   * old id as a deprecated one. A rename Braze lists in `rename_errors` (the new
   * id in use, the old one unknown) fails alone, as ExternalIdRenameError.
   */
  renameExternalIdsAll(renames: readonly ExternalIdRename[]): Promise<BulkOutcome[]> {
    return inChunks(renames, IDENTIFIERS_PER_REQUEST, (part) => sendExternalIdRename(this.#client, part));
  }

  /** Forgets deprecated external_ids, 50 per request; one Braze lists in `removal_errors` (not a deprecated id) fails alone. */
  removeExternalIdsAll(externalIds: readonly string[]): Promise<BulkOutcome[]> {
    return inChunks(externalIds, IDENTIFIERS_PER_REQUEST, (part) => sendExternalIdRemove(this.#client, part));
  }

  /** Renames aliases within their labels, 50 per request. */
  renameAll(updates: readonly AliasUpdate[]): Promise<BulkOutcome[]> {
    return inChunks(updates, IDENTIFIERS_PER_REQUEST, (part) => sendRename(this.#client, part));
  }

  /** These users, by external_id or alias (undefined where Braze knows none), 50 per request, paced by the endpoint's own limit. */
  exportAll(identifiers: readonly UserIdentifier[], fields: readonly string[]): Promise<Array<BulkOutcome<ExportedUser | undefined>>> {
    return inChunks(
      identifiers.map((identifier) => ({ identifier, fields })),
      IDENTIFIERS_PER_REQUEST,
      (part) => sendExport(this.#client, part),
    );
  }

  /**
   * One subscription group's state per read (undefined: Braze answered
   * "Unknown", no state), through GET /subscription/status/get: one group and
   * one kind of identifier per request, 50 users each, REQUESTS_IN_FLIGHT at a
   * time, paced by that endpoint's own rate limit like every other.
   */
  async readGroupStates(reads: readonly GroupStateRead[]): Promise<Array<BulkOutcome<SubscriptionState | undefined>>> {
    const outcomes: Array<BulkOutcome<SubscriptionState | undefined>> = new Array(reads.length);
    for (const bucket of statusBuckets(reads)) {
      const answered = await inChunks(bucket.values, STATUS_USERS_PER_REQUEST, (values) => sendStatus(this.#client, bucket.groupId, bucket.parameter, values));
      bucket.positions.forEach((position, offset) => (outcomes[position] = answered[offset]));
    }
    return outcomes;
  }

  /** Sends one attributes object; rejects with BrazeObjectError when Braze rejects that object. */
  track(object: TrackAttributesObject): Promise<void> {
    return this.#track.submit(object);
  }

  /** Deletes the user; Braze treats an unknown external_id or alias as nothing to delete. */
  deleteUser(identifier: UserIdentifier): Promise<void> {
    return this.#delete.submit(identifier);
  }

  /** Renames an alias within its label; Braze ignores an update whose old name matches nobody. */
  renameAlias(update: AliasUpdate): Promise<void> {
    return this.#rename.submit(update);
  }

  /** The user, with `fields`, or undefined when Braze knows no such external_id or alias. */
  exportUser(identifier: UserIdentifier, fields: readonly string[]): Promise<ExportedUser | undefined> {
    return this.#export.submit({ identifier, fields });
  }
}

/**
 * Splits `items` into requests of at most `size`, keeps REQUESTS_IN_FLIGHT of
 * them in flight, and returns one outcome per item in order. A request that
 * throws fails its own items only.
 */
async function inChunks<I, R>(items: readonly I[], size: number, send: (part: I[]) => Promise<ReadonlyArray<ItemOutcome<R>>>): Promise<Array<BulkOutcome<R>>> {
  const parts = chunk(items as I[], size);
  const results: Array<Array<BulkOutcome<R>>> = new Array(parts.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < parts.length; index = next++) {
      try {
        results[index] = [...(await send(parts[index]))];
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        results[index] = parts[index].map(() => ({ ok: false, error: failure }));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REQUESTS_IN_FLIGHT, parts.length) }, worker));
  return results.flat();
}

interface StatusBucket {
  groupId: string;
  parameter: StatusParameter;
  values: string[];
  /** Where each value's read stands in the caller's list. */
  positions: number[];
}

/** The reads by group and kind of identifier (a request takes one of each), in first-seen order. */
export function statusBuckets(reads: readonly GroupStateRead[]): StatusBucket[] {
  const buckets = new Map<string, StatusBucket>();
  reads.forEach((read, position) => {
    const key = `${read.groupId}\u0000${read.who.parameter}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { groupId: read.groupId, parameter: read.who.parameter, values: [], positions: [] }));
    bucket.values.push(read.who.value);
    bucket.positions.push(position);
  });
  return [...buckets.values()];
}

/** The GET /subscription/status/get requests readGroupStates takes for `reads`: one group and kind of identifier per request, 50 users each. */
export function statusRequestCount(reads: readonly GroupStateRead[]): number {
  return statusBuckets(reads).reduce((sum, bucket) => sum + Math.ceil(bucket.values.length / STATUS_USERS_PER_REQUEST), 0);
}

async function sendStatus(
  client: BrazeClient,
  groupId: string,
  parameter: StatusParameter,
  values: readonly string[],
): Promise<Array<ItemOutcome<SubscriptionState | undefined>>> {
  const answer = await client.get<unknown>(SUBSCRIPTION_STATUS_PATH, statusQuery(groupId, parameter, values));
  return statesOfAnswer(answer, values).map((value) => ({ ok: true, value }));
}

/**
 * Deletes `identifiers` (at most IDENTIFIERS_PER_REQUEST), one request per kind
 * of identifier: Braze takes "only one of external_ids, user_aliases,
 * braze_ids, email_addresses, or phone_numbers" per request
 * (https://www.braze.com/docs/api/endpoints/user_data/post_user_delete/).
 * A failed request fails its own kind only.
 */
async function sendDelete(client: BrazeClient, identifiers: readonly UserIdentifier[]): Promise<Array<ItemOutcome<void>>> {
  const outcomes: Array<ItemOutcome<void>> = new Array(identifiers.length);
  const byKind = groupBy(
    identifiers.map((_identifier, index) => index),
    (index) => kindOf(identifiers[index]),
  );
  for (const positions of Object.values(byKind)) {
    const outcome: ItemOutcome<void> = await client.post("/users/delete", deleteBody(positions.map((index) => identifiers[index]))).then(
      () => ({ ok: true as const, value: undefined }),
      (error: unknown) => ({ ok: false as const, error: asError(error) }),
    );
    for (const index of positions) outcomes[index] = outcome;
  }
  return outcomes;
}

/** The /users/delete requests deleteAll takes for `identifiers`: one kind per request, 50 per request. */
export function deleteRequestCount(identifiers: readonly UserIdentifier[]): number {
  return Object.values(groupBy(identifiers, kindOf)).reduce((sum, group) => sum + Math.ceil(group.length / IDENTIFIERS_PER_REQUEST), 0);
}

/** The /users/export/ids requests exportAll takes for `identifiers`: 50 by external_id or alias per request, one per email or phone. */
export function exportRequestCount(identifiers: readonly UserIdentifier[]): number {
  const addressed = identifiers.filter((identifier) => identifier.email !== undefined || identifier.phone !== undefined).length;
  return Math.ceil((identifiers.length - addressed) / IDENTIFIERS_PER_REQUEST) + addressed;
}

/** Which list of /users/delete an identifier goes into. */
function kindOf(identifier: UserIdentifier): "external_id" | "user_alias" | "email" | "phone" {
  if (identifier.external_id !== undefined) return "external_id";
  if (identifier.user_alias !== undefined) return "user_alias";
  return identifier.email !== undefined ? "email" : "phone";
}

/**
 * The prioritization of an email or phone delete: the email-only (phone-only)
 * profile the set created has no external_id, so "unidentified" keeps an
 * identified profile that shares the address out of reach, and
 * "most_recently_updated" picks one when several unidentified profiles hold it
 * (the set's own is the one it keeps updating). Braze deletes nothing when the
 * prioritization leaves several candidates.
 */
export const ADDRESS_DELETE_PRIORITIZATION = ["unidentified", "most_recently_updated"] as const;

/** The body of one /users/delete request of identifiers of one kind. */
export function deleteBody(identifiers: readonly UserIdentifier[]): Record<string, unknown[]> {
  const prioritization = [...ADDRESS_DELETE_PRIORITIZATION];
  const emails = identifiers.flatMap((identifier) => (identifier.email !== undefined ? [{ email: identifier.email, prioritization }] : []));
  const phones = identifiers.flatMap((identifier) => (identifier.phone !== undefined ? [{ phone: identifier.phone, prioritization }] : []));
  return {
    ...identifierLists(identifiers, "external_ids", "user_aliases"),
    ...(emails.length > 0 ? { email_addresses: emails } : {}),
    ...(phones.length > 0 ? { phone_numbers: phones } : {}),
  };
}

/**
 * Identifiers as the two lists /users/delete and /users/export/ids take, each
 * present only when not empty (Braze counts both against one request's cap).
 */
function identifierLists(identifiers: readonly UserIdentifier[], ids: "external_ids", aliases: "user_aliases"): Record<string, unknown[]> {
  const externalIds = identifiers.flatMap((identifier) => (identifier.external_id !== undefined ? [identifier.external_id] : []));
  const userAliases = identifiers.flatMap((identifier) => (identifier.user_alias !== undefined ? [identifier.user_alias] : []));
  return { ...(externalIds.length > 0 ? { [ids]: externalIds } : {}), ...(userAliases.length > 0 ? { [aliases]: userAliases } : {}) };
}

async function sendAttach(client: BrazeClient, attachments: readonly AliasAttachment[]): Promise<Array<ItemOutcome<void>>> {
  const response = await client.post<TrackResponse>("/users/alias/new", { user_aliases: attachments });
  return entryOutcomes(
    "/users/alias/new",
    "user_aliases",
    response,
    attachments,
    (attachment) => `external_id ${attachment.external_id}, alias ${attachment.alias_name} (label ${attachment.alias_label})`,
  );
}

/**
 * Identifies users in place: aliases and emails in requests of their own, so
 * that each error Braze names by index points into one list.
 */
async function sendIdentify(client: BrazeClient, identifications: readonly Identification[]): Promise<Array<ItemOutcome<void>>> {
  const outcomes: Array<ItemOutcome<void>> = new Array(identifications.length);
  const byList = groupBy(
    identifications.map((_identification, index) => index),
    (index) => (identifications[index].email !== undefined ? "emails_to_identify" : "aliases_to_identify"),
  );
  for (const [list, positions] of Object.entries(byList)) {
    const entries = positions.map((index) => identifications[index]);
    const answered = await client.post<TrackResponse>("/users/identify", { [list]: entries }).then(
      (response) => entryOutcomes("/users/identify", list, response, entries, describeIdentification),
      (error: unknown) => entries.map((): ItemOutcome<void> => ({ ok: false, error: asError(error) })),
    );
    positions.forEach((index, position) => (outcomes[index] = answered[position]));
  }
  return outcomes;
}

function describeIdentification(identification: Identification): string {
  if (identification.email !== undefined) return `external_id ${identification.external_id}, email ${identification.email}`;
  const { external_id, user_alias } = identification;
  return `external_id ${external_id}, alias ${user_alias.alias_name} (label ${user_alias.alias_label})`;
}

/** Each entry of an identity request done, but those Braze's `errors` name by index (refused, as BrazeObjectError). */
function entryOutcomes<T>(
  path: string,
  inputArray: string,
  response: TrackResponse | undefined,
  entries: readonly T[],
  describe: (entry: T) => string,
): Array<ItemOutcome<void>> {
  const outcomes: Array<ItemOutcome<void>> = entries.map(() => ({ ok: true, value: undefined }));
  for (const entry of response?.errors ?? []) {
    const index = entry.index;
    if (typeof index !== "number" || !Number.isInteger(index) || entries[index] === undefined) {
      throw new UnexpectedAnswerError(path, response, `an error entry names no ${inputArray} entry of this request: ${JSON.stringify(entry)}`);
    }
    outcomes[index] = { ok: false, error: new BrazeObjectError(path, inputArray, index, String(entry.type), describe(entries[index])) };
  }
  return outcomes;
}

interface MigrationResponse {
  message: string;
  rename_errors?: unknown[];
  removal_errors?: unknown[];
}

async function sendExternalIdRename(client: BrazeClient, renames: readonly ExternalIdRename[]): Promise<Array<ItemOutcome<void>>> {
  const path = "/users/external_ids/rename";
  const response = await client.post<MigrationResponse>(path, { external_id_renames: renames });
  return migrationOutcomes(path, response, "rename_errors", renames.length, (index, text) => new ExternalIdRenameError(renames[index], text));
}

async function sendExternalIdRemove(client: BrazeClient, externalIds: readonly string[]): Promise<Array<ItemOutcome<void>>> {
  const path = "/users/external_ids/remove";
  const response = await client.post<MigrationResponse>(path, { external_ids: externalIds });
  return migrationOutcomes(path, response, "removal_errors", externalIds.length, (index, text) => new ExternalIdRemoveError(externalIds[index], text));
}

/**
 * Each item done, but those the answer's error list names. Braze documents its
 * entries as "array of arrays" whose messages reference the item's index in
 * the request, without showing one: an entry is read as `[index, message]`,
 * and one naming no item of the request is an unexpected answer.
 * https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/
 */
function migrationOutcomes(
  path: string,
  response: MigrationResponse | undefined,
  errorsKey: "rename_errors" | "removal_errors",
  count: number,
  refusal: (index: number, text: string) => Error,
): Array<ItemOutcome<void>> {
  if (response?.message !== "success") throw new UnexpectedAnswerError(path, response);
  const outcomes: Array<ItemOutcome<void>> = Array.from({ length: count }, () => ({ ok: true, value: undefined }));
  for (const entry of response[errorsKey] ?? []) {
    const [index, ...text] = Array.isArray(entry) ? entry : [];
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new UnexpectedAnswerError(path, response, `a ${errorsKey} entry names no item of this request: ${JSON.stringify(entry)}`);
    }
    outcomes[index] = { ok: false, error: refusal(index, text.map(String).join(" ")) };
  }
  return outcomes;
}

async function sendRename(client: BrazeClient, updates: readonly AliasUpdate[]): Promise<Array<ItemOutcome<void>>> {
  await client.post("/users/alias/update", { alias_updates: updates });
  return updates.map(() => ({ ok: true, value: undefined }));
}

async function sendTrack(client: BrazeClient, objects: readonly TrackAttributesObject[]): Promise<Array<ItemOutcome<void>>> {
  const response = await client.post<TrackResponse>("/users/track", { attributes: objects });
  // During maintenance Braze answers 202 {"message": "queued"}: accepted, applied later.
  if (response?.message === "queued") return objects.map(() => ({ ok: true, value: undefined }));
  if (response?.message !== "success") {
    throw new UnexpectedAnswerError("/users/track", response);
  }
  const outcomes: Array<ItemOutcome<void>> = objects.map(() => ({ ok: true, value: undefined }));
  const rejected: number[] = [];
  for (const entry of response.errors ?? []) {
    const index = entry.index;
    // Refuse to guess: an error we cannot pin to one object fails them all, so
    // state never records something Braze may have rejected.
    if (entry.input_array !== "attributes" || typeof index !== "number" || !Number.isInteger(index) || !objects[index]) {
      throw new UnexpectedAnswerError("/users/track", response, `an error entry names no object of this request: ${JSON.stringify(entry)}`);
    }
    rejected.push(index);
    outcomes[index] = {
      ok: false,
      error: new BrazeObjectError("/users/track", "attributes", index, String(entry.type), describeIdentifier(objects[index])),
    };
  }
  // Braze drops every nested custom attribute update of a request when one of them
  // is invalid. When a rejected object carried nested attributes, the nested
  // updates of the other objects may not have been applied either, so they fail
  // too: state must not record them, and the next up sends them again (safely:
  // every delta is idempotent).
  if (rejected.some((index) => carriesNestedAttribute(objects[index]))) {
    objects.forEach((object, index) => {
      if (outcomes[index].ok && carriesNestedAttribute(object)) {
        outcomes[index] = { ok: false, error: new NestedUpdatesDroppedError(describeIdentifier(object)) };
      }
    });
  }
  return outcomes;
}

/**
 * sendTrack, then, when Braze dropped the nested updates of innocent objects
 * because one object of the request was invalid, sends those objects' nested
 * attributes again at once, alone (their other attributes were applied). The
 * run then converges without waiting for the next up, at the cost of one
 * request and the nested attributes' data points.
 */
async function sendTrackResendingDropped(client: BrazeClient, objects: readonly TrackAttributesObject[]): Promise<Array<ItemOutcome<void>>> {
  const outcomes = await sendTrack(client, objects);
  const dropped = outcomes.flatMap((outcome, index) => (!outcome.ok && outcome.error instanceof NestedUpdatesDroppedError ? [index] : []));
  if (dropped.length === 0) return outcomes;
  const again = await sendTrack(
    client,
    dropped.map((index) => nestedPartOf(objects[index])),
  );
  dropped.forEach((index, position) => (outcomes[index] = again[position]));
  return outcomes;
}

/** The identifier an attributes object is addressed by (Braze's precedence: external_id or alias, else email, else phone). */
function identifierOf(object: TrackAttributesObject): Partial<TrackAttributesObject> {
  if (object.external_id !== undefined) return { external_id: object.external_id };
  if (object.user_alias !== undefined) return { user_alias: object.user_alias };
  if (typeof object.email === "string") return { email: object.email };
  return { phone: object.phone };
}

/** The object with only its identifier, control keys and nested attributes. */
function nestedPartOf(object: TrackAttributesObject): TrackAttributesObject {
  const part: TrackAttributesObject = {
    ...identifierOf(object),
    _update_existing_only: object._update_existing_only,
  };
  if (object._merge_objects !== undefined) part._merge_objects = object._merge_objects;
  for (const [key, value] of Object.entries(object)) {
    if (
      value !== null &&
      value !== undefined &&
      typeof value === "object" &&
      key !== "user_alias" &&
      key !== "external_id" &&
      key !== "email" &&
      key !== "phone" &&
      key !== "subscription_groups" &&
      isNestedAttribute(key, value as never)
    ) {
      part[key] = value;
    }
  }
  return part;
}

/**
 * One /users/track request of whole bundles. A bundle without events or
 * purchases is sent as sendTrackResendingDropped sends attributes; otherwise
 * the request is not resent after a 5xx or a lost answer, and its entries come
 * back "unknown". An event or purchase of a user whose creating attributes
 * object Braze refused in the same request comes back "unknown" too: Braze
 * drops an alias-only user's events when the user does not exist, and holds
 * them when it did already.
 */
async function sendBundles(client: BrazeClient, bundles: readonly TrackBundle[], caps: BundleCaps): Promise<Array<Omit<BundleOutcome, "request">>> {
  const attributes = bundles.flatMap((bundle) => (bundle.attributes ? [bundle.attributes] : []));
  const events = bundles.flatMap((bundle) => bundle.events);
  const purchases = bundles.flatMap((bundle) => bundle.purchases);
  if (events.length + purchases.length === 0) {
    const outcomes = await caps
      .sendAttributes(attributes)
      .catch((error: unknown) => attributes.map((): ItemOutcome<void> => ({ ok: false, error: asError(error) })));
    return bundles.map((_bundle, index) => ({ attributes: outcomes[index], events: [], purchases: [] }));
  }
  const body: Record<string, unknown[]> = {};
  if (attributes.length > 0) body.attributes = attributes;
  if (events.length > 0) body.events = events;
  if (purchases.length > 0) body.purchases = purchases;
  let response: TrackResponse;
  try {
    response = await client.post<TrackResponse>("/users/track", body, { resendWhenOutcomeUnknown: false });
    if (response?.message !== "success" && response?.message !== "queued") {
      throw new UnexpectedAnswerError("/users/track", response);
    }
  } catch (caught) {
    // Refused as too large and the caps lowered: the track pass cuts these bundles to the new caps and sends them again.
    const error = caps.lowerCapsAfter(caught, attributes.length + events.length + purchases.length)
      ? new TrackCapExceededError(attributes.length + events.length + purchases.length, { cause: caught })
      : asError(caught);
    const notApplied = !isOutcomeUnknown(error);
    const entry: EntryOutcome = notApplied ? { state: "failed", error } : { state: "unknown", error };
    return bundles.map((bundle) => ({
      ...(bundle.attributes ? { attributes: { ok: false, error } } : {}),
      events: bundle.events.map(() => entry),
      purchases: bundle.purchases.map(() => entry),
    }));
  }
  const byArray = { attributes, events, purchases } as const;
  const refused: Record<keyof typeof byArray, Map<number, Error>> = { attributes: new Map(), events: new Map(), purchases: new Map() };
  for (const entry of response.errors ?? []) {
    const array = entry.input_array as keyof typeof byArray;
    const index = entry.index;
    const objects = byArray[array] as ReadonlyArray<{ external_id?: string; user_alias?: UserAliasObject }> | undefined;
    if (!objects || typeof index !== "number" || !Number.isInteger(index) || !objects[index]) {
      // Cannot be pinned to one object: the entries are unknown (the rest was applied), the attributes failed (resent: idempotent).
      const error = new Error(`POST /users/track: an error entry names no object of this request: ${JSON.stringify(entry)}`);
      return bundles.map((bundle) => ({
        ...(bundle.attributes ? { attributes: { ok: false, error } } : {}),
        events: bundle.events.map((): EntryOutcome => ({ state: "unknown", error })),
        purchases: bundle.purchases.map((): EntryOutcome => ({ state: "unknown", error })),
      }));
    }
    refused[array].set(index, new BrazeObjectError("/users/track", array, index, String(entry.type), describeIdentifier(objects[index])));
  }
  // As in sendTrack: a refused nested attribute drops every nested update of the
  // request, so the others' nested updates are not recorded (the next up resends them).
  const nestedDropped = [...refused.attributes.keys()].some((index) => carriesNestedAttribute(attributes[index]));
  if (nestedDropped) {
    attributes.forEach((object, index) => {
      if (!refused.attributes.has(index) && carriesNestedAttribute(object))
        refused.attributes.set(index, new NestedUpdatesDroppedError(describeIdentifier(object)));
    });
  }
  const positions = { attributes: 0, events: 0, purchases: 0 };
  return bundles.map((bundle) => {
    let createRefused: Error | undefined;
    let attributesOutcome: ItemOutcome<void> | undefined;
    if (bundle.attributes) {
      const error = refused.attributes.get(positions.attributes++);
      attributesOutcome = error ? { ok: false, error } : { ok: true, value: undefined };
      if (error && !(error instanceof NestedUpdatesDroppedError) && bundle.attributes._update_existing_only === false) createRefused = error;
    }
    const entryOutcome = (array: "events" | "purchases"): EntryOutcome => {
      const error = refused[array].get(positions[array]++);
      if (error) return { state: "failed", error };
      return createRefused ? { state: "unknown", error: createRefused } : { state: "applied" };
    };
    return {
      ...(attributesOutcome ? { attributes: attributesOutcome } : {}),
      events: bundle.events.map(() => entryOutcome("events")),
      purchases: bundle.purchases.map(() => entryOutcome("purchases")),
    };
  });
}

type AttributesSend = (client: BrazeClient, objects: readonly TrackAttributesObject[]) => Promise<Array<ItemOutcome<void>>>;

/** What sendBundles needs of the API's caps: the attributes-only send, and lowering the caps after a refusal. */
interface BundleCaps {
  sendAttributes(objects: readonly TrackAttributesObject[]): Promise<Array<ItemOutcome<void>>>;
  lowerCapsAfter(error: unknown, objects: number): boolean;
}

/** Braze's fatal answer to a request over the cap: `{"message": "Max Input Length Exceeded", ...}`. */
function isMaxInputLengthExceeded(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { message?: unknown }).message === MAX_INPUT_LENGTH_EXCEEDED;
}

/**
 * Whether Braze may hold what a failed request carried: no answer, a 5xx, or
 * anything unexpected. Not for a 4xx, a refusal as too large, an endpoint
 * nothing listens on, or a request held back by the rate-limit wait bound.
 */
export function isOutcomeUnknown(error: Error): boolean {
  if (error instanceof BrazeRequestError) return error.outcomeUnknown;
  return !(error instanceof BrazeUnreachableError || error instanceof RateLimitWaitError || error instanceof TrackCapExceededError);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Exports users: those by external_id or alias in one request, each email-only
 * or phone-only user in a request of its own (/users/export/ids takes "only one
 * of device_id, email_address, or phone":
 * https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/).
 */
async function sendExport(client: BrazeClient, requests: readonly ExportRequest[]): Promise<Array<ItemOutcome<ExportedUser | undefined>>> {
  const outcomes: Array<ItemOutcome<ExportedUser | undefined>> = new Array(requests.length);
  const listed = requests.flatMap((request, index) => (request.identifier.email === undefined && request.identifier.phone === undefined ? [index] : []));
  if (listed.length > 0) {
    const answered = await sendListedExport(
      client,
      listed.map((index) => requests[index]),
    );
    listed.forEach((index, position) => (outcomes[index] = answered[position]));
  }
  for (const [index, request] of requests.entries()) {
    if (outcomes[index] !== undefined) continue;
    outcomes[index] = await sendAddressExport(client, request).catch((error: unknown) => ({ ok: false as const, error: asError(error) }));
  }
  return outcomes;
}

/**
 * One email-only or phone-only user. Braze returns every profile holding the
 * address; more than one is reported (SharedAddressError), not guessed between,
 * and so is one identified profile: updates by the address reach it, so it is
 * not the email-only (phone-only) profile the user declares.
 */
async function sendAddressExport(client: BrazeClient, { identifier, fields }: ExportRequest): Promise<ItemOutcome<ExportedUser | undefined>> {
  const query = identifier.email !== undefined ? { email_address: identifier.email } : { phone: identifier.phone };
  const response = await client.post<ExportResponse>("/users/export/ids", { ...query, fields_to_export: [...new Set([...fields, "external_id"])].sort() });
  if (response?.message !== "success" || !Array.isArray(response.users)) {
    throw new UnexpectedAnswerError("/users/export/ids", response);
  }
  if (response.users.length > 1) return { ok: false, error: new SharedAddressError(describeIdentifier(identifier), response.users.length) };
  const [held] = response.users;
  if (typeof held?.external_id === "string")
    return { ok: false, error: new SharedAddressError(describeIdentifier(identifier), 1, undefined, undefined, held.external_id) };
  return { ok: true, value: held };
}

async function sendListedExport(client: BrazeClient, requests: readonly ExportRequest[]): Promise<Array<ItemOutcome<ExportedUser | undefined>>> {
  // One request for the batch: the union of the fields each resource manages, plus
  // external_id and user_aliases, which map each exported user back to the identifier that asked for it.
  const identified = requests.some((request) => request.identifier.external_id !== undefined);
  const keys = identified ? ["external_id", "user_aliases"] : ["user_aliases"];
  const fields = [...new Set([...keys, ...requests.flatMap((request) => request.fields)])].sort();
  const response = await client.post<ExportResponse>("/users/export/ids", {
    ...identifierLists(
      requests.map((request) => request.identifier),
      "external_ids",
      "user_aliases",
    ),
    fields_to_export: fields,
  });
  if (response?.message !== "success" || !Array.isArray(response.users)) {
    throw new UnexpectedAnswerError("/users/export/ids", response);
  }
  return requests.map(({ identifier }) => {
    const matches = response.users!.filter((user) =>
      identifier.external_id !== undefined
        ? user.external_id === identifier.external_id
        : (user.user_aliases ?? []).some(
            (alias) => alias.alias_label === identifier.user_alias?.alias_label && alias.alias_name === identifier.user_alias?.alias_name,
          ),
    );
    if (matches.length > 1) {
      return { ok: false, error: new Error(`POST /users/export/ids: ${matches.length} users hold ${describeIdentifier(identifier)}; expected one`) };
    }
    return { ok: true, value: matches[0] };
  });
}

/** How messages name the user an object is addressed to: `external_id u-1`, `alias ada (label qa)`, `email a@b.c` or `phone +1555…`. */
export function describeIdentifier(object: { external_id?: string; user_alias?: UserAliasObject; email?: unknown; phone?: unknown } | undefined): string {
  if (object?.external_id !== undefined) return `external_id ${object.external_id}`;
  const alias = object?.user_alias;
  if (alias) return `alias ${alias.alias_name} (label ${alias.alias_label})`;
  // Braze takes the email over the phone when an object carries both.
  if (typeof object?.email === "string") return `email ${object.email}`;
  if (typeof object?.phone === "string") return `phone ${object.phone}`;
  return "an object without external_id, user_alias, email or phone";
}

/** How messages name an alias. */
export function describeAlias(alias: UserAliasObject): string {
  return describeIdentifier({ user_alias: alias });
}
