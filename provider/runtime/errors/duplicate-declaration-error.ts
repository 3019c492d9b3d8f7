import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/** One alias the program declares in more than one place, and who declares it. */
export interface DoubleDeclaration {
  /** `label/name`. */
  alias: string;
  /** Each declarer as the program names it, e.g. `BrazeUser "ada" (alias qa/ada)`. */
  declarers: readonly string[];
}

/**
 * The program declares one alias in more than one resource (or twice in one
 * set): each alias is one Braze user, so the resource refuses to send anything
 * rather than race the other declaration's objects. One detail line per alias.
 */
export class DuplicateDeclarationError extends BrazeProfilesError {
  override readonly name = "DuplicateDeclarationError";

  constructor(
    /** The resource that refused, e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly doubles: readonly DoubleDeclaration[],
  ) {
    super({
      where: resource,
      what: `nothing was sent: ${doubles.length === 1 ? "1 of its aliases is" : `${doubles.length} of its aliases are`} declared more than once`,
      hint: "each alias is one Braze user, so declare it in one place only",
      details: doubles.map((double) => `alias ${double.alias} is declared ${double.declarers.length} times, by ${double.declarers.join(" and by ")}`),
    });
  }
}
