/**
 * One entry of a response's `errors` array. Non-fatal entries name the object
 * they are about (`input_array` and its 0-based `index`), as Braze's own do;
 * a fatal error lists itself with only `type`.
 */
export interface ErrorEntry {
  type: string;
  input_array?: string;
  index?: number;
}

/**
 * A fatal answer: the request is refused as a whole and nothing of it is
 * applied. The body is Braze's fatal shape, `{ message, errors }`, where
 * `errors` lists the error itself or the per-object errors that left nothing
 * valid to process.
 *
 * Not a BrazeProfilesError: its message is the text Braze itself answers with
 * (`"Invalid API key: …"`), sent to the client as the body's `message`, not a
 * message of ours to the person running braze-local. Recomposing it as
 * `<where>: <what>; <hint>` would change the body every client reads, and the
 * end-to-end tests compare those bodies with Braze's.
 */
export class BrazeApiError extends Error {
  override readonly name = "BrazeApiError";

  constructor(
    /** HTTP status Braze uses for this failure (400, 401, 403, 404, 413, 429, 5xx). */
    readonly status: number,
    message: string,
    readonly errors: readonly ErrorEntry[] = [{ type: message }],
  ) {
    super(message);
  }

  body(): { message: string; errors: ErrorEntry[] } {
    return { message: this.message, errors: [...this.errors] };
  }
}
