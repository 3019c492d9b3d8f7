// GET /subscription/status/get on the wire: the query that reads one
// subscription group's state for up to 50 users, and its answer read back.
// Pure. https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_group_status/
import type { SubscriptionState } from "../model/managed-user";
import { UnexpectedAnswerError } from "./errors/unexpected-answer-error";

export const SUBSCRIPTION_STATUS_PATH = "/subscription/status/get";

/**
 * Braze's cap on users per request: "at least one and at most 50" external_ids
 * (emails and phones alike).
 */
export const STATUS_USERS_PER_REQUEST = 50;

/**
 * The query parameter a user is read by. With external_ids in a request Braze
 * ignores the emails and phones, and emails and phones together without one are
 * an error, so each request carries one kind only.
 */
export type StatusParameter = "external_id" | "email" | "phone";

/** Who one state is read for: the query parameter and its value. */
export interface StatusIdentifier {
  parameter: StatusParameter;
  value: string;
}

/** One subscription group's state to read for one user. */
export interface GroupStateRead {
  groupId: string;
  who: StatusIdentifier;
}

/**
 * The query of one request: the group, and the users as a list
 * (`external_id[]=1&external_id[]=2`, the form of Braze's example request).
 */
export function statusQuery(groupId: string, parameter: StatusParameter, values: readonly string[]): URLSearchParams {
  const query = new URLSearchParams({ subscription_group_id: groupId });
  for (const value of values) query.append(`${parameter}[]`, value);
  return query;
}

/**
 * Each value's state in the answer `{"status": {"<value>": "Subscribed" |
 * "Unsubscribed" | "Unknown"}, "message": "success"}`. "Unknown" (the user never
 * had a state in the group, or Braze has no such user) is undefined: no state.
 * @throws UnexpectedAnswerError when the answer is not that, or leaves a value out.
 */
export function statesOfAnswer(answer: unknown, values: readonly string[]): Array<SubscriptionState | undefined> {
  const status = (answer as { status?: unknown } | undefined)?.status;
  if ((answer as { message?: unknown } | undefined)?.message !== "success" || typeof status !== "object" || status === null || Array.isArray(status)) {
    throw new UnexpectedAnswerError(SUBSCRIPTION_STATUS_PATH, answer, undefined, "GET");
  }
  // Keyed by the value sent; should Braze echo an email in another case, it is the same address (emails compare without case).
  const byLowerCase = new Map(Object.entries(status as Record<string, unknown>).map(([key, state]) => [key.toLowerCase(), state]));
  return values.map((value) => {
    const state = Object.hasOwn(status, value) ? (status as Record<string, unknown>)[value] : byLowerCase.get(value.toLowerCase());
    switch (state) {
      case "Subscribed":
        return "subscribed";
      case "Unsubscribed":
        return "unsubscribed";
      case "Unknown":
        return undefined;
      default:
        throw new UnexpectedAnswerError(
          SUBSCRIPTION_STATUS_PATH,
          answer,
          `the state of ${JSON.stringify(value)} is ${JSON.stringify(state)}, not "Subscribed", "Unsubscribed" or "Unknown"`,
          "GET",
        );
    }
  });
}
