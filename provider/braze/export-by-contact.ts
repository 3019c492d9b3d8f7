// POST /users/export/ids by email address or phone number: Braze takes one of
// them per request (never a list, unlike external_ids and user_aliases), and
// answers every profile that holds it, so one address can name several users
// (https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/).
import type { BrazeClient } from "./client";
import { UnexpectedAnswerError } from "./errors/unexpected-answer-error";
import type { ExportedUser } from "./wire-types";

/** One email address or one E.164 phone number, as /users/export/ids takes it. */
export type ContactIdentifier = { email_address: string } | { phone: string };

/** Every profile holding the address or number (none, one, or several), with `fields`. */
export async function exportByContact(client: BrazeClient, contact: ContactIdentifier, fields: readonly string[]): Promise<ExportedUser[]> {
  const response = await client.post<{ message?: string; users?: ExportedUser[] }>("/users/export/ids", { ...contact, fields_to_export: [...fields] });
  if (response?.message !== "success" || !Array.isArray(response.users)) throw new UnexpectedAnswerError("/users/export/ids", response);
  return response.users;
}
