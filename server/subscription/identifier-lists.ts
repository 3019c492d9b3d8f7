// The users a subscription endpoint's query names: `external_id`, `email` and
// `phone`, each one value or a list (`external_id[]=1&external_id[]=2`), at most
// 50 of a kind. Braze's rule for both GET /subscription/status/get and GET
// /subscription/user/status
// (https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_group_status/,
// https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_groups/).
import { BrazeApiError } from "../errors/braze-api-error";

/** Braze's cap on the users of one request, per kind of identifier. */
export const MAX_IDENTIFIERS_PER_KIND = 50;

export interface IdentifierLists {
  externalIds: string[];
  emails: string[];
  phones: string[];
}

/** The query's identifiers by kind; refuses more than 50 of a kind. */
export function identifierLists(query: URLSearchParams): IdentifierLists {
  const values = (name: string) => [...query.getAll(name), ...query.getAll(`${name}[]`)];
  const lists = { external_id: values("external_id"), email: values("email"), phone: values("phone") };
  for (const [name, list] of Object.entries(lists)) {
    if (list.length > MAX_IDENTIFIERS_PER_KIND)
      throw new BrazeApiError(400, `at most ${MAX_IDENTIFIERS_PER_KIND} '${name}' values per request, got ${list.length}`);
  }
  return { externalIds: lists.external_id, emails: lists.email, phones: lists.phone };
}
