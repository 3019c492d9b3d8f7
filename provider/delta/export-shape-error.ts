/**
 * A user exported by POST /users/export/ids holds, in a field the resource
 * manages, a value of a shape none of its attributes can have. Refresh refuses
 * it rather than recording a guess in Pulumi state.
 */
export class ExportShapeError extends Error {
  override readonly name = "ExportShapeError" as const;
  /** The exported field (or custom attribute key) that holds the value. */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super(`POST /users/export/ids: ${field} holds ${JSON.stringify(value)}; expected ${expected}`);
    this.field = field;
    this.value = value;
  }
}
