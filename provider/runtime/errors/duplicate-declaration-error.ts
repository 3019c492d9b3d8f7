import { BrazeProfilesError } from "../../../errors/braze-profiles-error";
import { describeIdentity, identityKind } from "../../model";

/** One alias the program declares in more than one place, and who declares it. */
export interface DoubleDeclaration {
  /** The user's identityKey: `label/name`, or `external_id <id>`. */
  identity: string;
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
    const kinds = new Set(doubles.map((double) => identityKind(double.identity)));
    const kind = kinds.size === 1 ? [...kinds][0] : "identifier";
    const plural = kind === "alias" ? "aliases" : `${kind}s`;
    super({
      where: resource,
      what: `nothing was sent: ${doubles.length === 1 ? `1 of its ${plural} is` : `${doubles.length} of its ${plural} are`} declared more than once`,
      hint: `each ${kind === "identifier" ? "alias or external_id" : kind} is one Braze user, so declare it in one place only`,
      details: doubles.map(
        (double) => `${describeIdentity(double.identity)} is declared ${double.declarers.length} times, by ${double.declarers.join(" and by ")}`,
      ),
    });
  }
}
