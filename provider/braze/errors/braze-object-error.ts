import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze accepted a request but rejected one object in it (a non-fatal `errors`
 * entry `{type, input_array, index}` of a success response). Only the resource that
 * sent that object fails; the others in the same request were applied.
 */
export class BrazeObjectError extends BrazeProfilesError {
  override readonly name = "BrazeObjectError";

  constructor(
    readonly path: string,
    /** `attributes`, `events` or `purchases`. */
    readonly inputArray: string,
    /** Index of the object in the request that was sent. */
    readonly index: number,
    /** Braze's error text. */
    readonly type: string,
    /** Who the object was for, e.g. `alias ada (label qa-personas)`. */
    readonly subject: string,
  ) {
    super({
      where: `POST ${path}`,
      what: `Braze rejected the ${inputArray} object for ${subject}: ${type}`,
      hint: `correct that value in the desired state, then run "pulumi up" again`,
    });
  }
}
