/** The parts every message the product shows its user is made of. */
export interface ErrorParts {
  /**
   * Where it failed, as the user can find it: an endpoint (`POST /users/track`),
   * a file position (`users.yaml:12:7`), a resource (`BrazeUserSet "users"`),
   * a setting (`braze:apiKey`), a command (`braze-local --port`).
   */
  where: string;
  /** What failed, with the offending value where there is one. */
  what: string;
  /** What to do about it; left out only when the error's cause says it better (a per-item list, Braze's own text). */
  hint?: string;
  /** One line per item when several things failed at once (every problem of a file, not just the first). */
  details?: readonly string[];
  /** The error this one reports, kept as the standard `cause`. */
  cause?: unknown;
}

/**
 * The base of every error the product raises to its user: the provider (in
 * `pulumi up`/`preview`/`refresh`), `braze-profiles plan` and braze-local's
 * command line. Every message has one shape,
 *
 *     <where>: <what>[; <what to do>]
 *     [<detail>
 *      <detail> …]
 *
 * e.g. `braze:restEndpoint: "ftp://x" is not a URL; use e.g. https://rest.iad-01.braze.com`,
 * so a reader finds the place first, then the fault, then the fix. The parts
 * stay in fields (`where`, `what`, `hint`, `details`) for code that reports them
 * otherwise; each subclass adds its own context (`status`, `body`, `file`…)
 * and a literal `name`.
 *
 * An `Error` thrown plainly means a bug (a broken invariant, an exhaustive
 * switch's `never`), never something the user did: test/unit/error-classes.test.ts
 * keeps it that way.
 */
export abstract class BrazeProfilesError extends Error {
  abstract override readonly name: string;
  readonly where: string;
  readonly what: string;
  readonly hint?: string;
  readonly details: readonly string[];

  constructor(parts: ErrorParts) {
    super(composeMessage(parts), parts.cause === undefined ? undefined : { cause: parts.cause });
    this.where = parts.where;
    this.what = parts.what;
    this.hint = parts.hint;
    this.details = parts.details ?? [];
  }
}

/** The one message shape: `<where>: <what>[; <hint>]`, then one line per detail. */
export function composeMessage(parts: Pick<ErrorParts, "where" | "what" | "hint" | "details">): string {
  const head = `${parts.where}: ${parts.what}${parts.hint ? `; ${parts.hint}` : ""}`;
  return [head, ...(parts.details ?? [])].join("\n");
}
