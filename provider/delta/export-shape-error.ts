import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A user exported by POST /users/export/ids holds, in a field the resource
 * manages, a value of a shape none of its attributes can have. Refresh refuses
 * it rather than recording a guess in Pulumi state.
 */
export class ExportShapeError extends BrazeProfilesError {
  override readonly name = "ExportShapeError" as const;
  /** The exported field (or custom attribute key) that holds the value. */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super({
      where: "POST /users/export/ids",
      what: `${field} holds ${JSON.stringify(value)}, where ${expected} was expected`,
      hint: `correct ${field} in Braze (or stop managing it), then refresh again`,
    });
    this.field = field;
    this.value = value;
  }
}
