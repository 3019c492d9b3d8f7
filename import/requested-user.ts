// The users an import asks Braze for, one per input line. Braze has no endpoint
// that lists users, so the lists come from outside (a segment's CSV export, a
// segment export through /users/export/segment). Pure: lines in, requests out.
import { ImportError } from "./import-error";

/** One user to read: by external_id, alias, email address or phone number. */
export type RequestedUser =
  | { kind: "external_id"; external_id: string }
  | { kind: "alias"; label: string; name: string }
  | { kind: "email"; email: string }
  | { kind: "phone"; phone: string };

/** The request's identity, unique across kinds: what the progress file records as done. */
export function requestKey(request: RequestedUser): string {
  switch (request.kind) {
    case "external_id":
      return `external_id ${request.external_id}`;
    case "alias":
      return `alias ${request.name} (label ${request.label})`;
    case "email":
      return `email ${request.email}`;
    case "phone":
      return `phone ${request.phone}`;
    default:
      return assertNever(request);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected request ${JSON.stringify(value)}`);
}

/**
 * The requests of one input file's text: one per non-blank line, surrounding
 * whitespace trimmed, repeats dropped. Aliases are `label,name` (split at the
 * first comma, so a name may hold commas; a label may not).
 */
export function requestsOfLines(kind: RequestedUser["kind"], text: string, where: string): RequestedUser[] {
  const requests: RequestedUser[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "") continue;
    if (kind === "alias") {
      const comma = line.indexOf(",");
      const label = comma < 0 ? "" : line.slice(0, comma).trim();
      const name = comma < 0 ? "" : line.slice(comma + 1).trim();
      if (label === "" || name === "") {
        throw new ImportError({
          where: `${where}:${index + 1}`,
          what: `"${line}" is not an alias`,
          hint: "write one alias a line as label,name (e.g. qa-personas,ada)",
          usage: true,
        });
      }
      requests.push({ kind, label, name });
    } else if (kind === "external_id") requests.push({ kind, external_id: line });
    else if (kind === "email") requests.push({ kind, email: line });
    else requests.push({ kind, phone: line });
  }
  return requests;
}

/** The requests without repeats, in first-seen order. */
export function distinctRequests(requests: readonly RequestedUser[]): RequestedUser[] {
  const seen = new Map<string, RequestedUser>();
  for (const request of requests) if (!seen.has(requestKey(request))) seen.set(requestKey(request), request);
  return [...seen.values()];
}
