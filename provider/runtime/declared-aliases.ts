// Which resource of the running program declares each alias, as seen by this
// provider process. The engine calls `check` for every resource the program
// declares, before it updates any of them and long before it deletes the ones
// the program dropped, so these answers are complete by the time a removal is
// decided. They drive two rules:
// - a user that moved (to another set, to or from a BrazeUser, to a new key) is
//   never deleted while anything still declares it, whichever run the removal
//   falls in;
// - one alias declared by two resources is refused before anything is sent.

/** alias key (`label/name`) -> the resource and the place in it that declares it. */
const declarers = new Map<string, { resource: string; declarer: string }>();
/** Which resource declared which aliases last, so a re-check replaces its own entries. */
const byResource = new Map<string, string[]>();
/** alias key -> every declarer of an alias declared more than once: all of them are refused. */
const contested = new Map<string, Set<string>>();
let lastDeclarationAt = 0;

/**
 * How long (ms) no resource may have been checked before this process trusts it
 * has seen every declaration. The engine checks resources as the program
 * registers them, which a program does in one burst at start.
 */
export const DECLARATIONS_SETTLE_MS = 300;

export interface Declaration {
  aliasKey: string;
  /** Who declares it, as a person would find it in the program. */
  declarer: string;
}

/**
 * Records what `resource` declares (replacing what it declared before) and
 * returns the conflicts: aliases another resource declares too.
 */
export function declare(resource: string, declarations: readonly Declaration[]): Array<Declaration & { other: string }> {
  lastDeclarationAt = Date.now();
  for (const aliasKey of byResource.get(resource) ?? []) {
    if (declarers.get(aliasKey)?.resource === resource) declarers.delete(aliasKey);
  }
  const conflicts: Array<Declaration & { other: string }> = [];
  const mine: string[] = [];
  for (const declaration of declarations) {
    const other = declarers.get(declaration.aliasKey);
    if (other !== undefined && other.resource !== resource) {
      conflicts.push({ ...declaration, other: other.declarer });
      const all = contested.get(declaration.aliasKey) ?? new Set([other.declarer]);
      contested.set(declaration.aliasKey, all.add(declaration.declarer));
    } else declarers.set(declaration.aliasKey, { resource, declarer: declaration.declarer });
    mine.push(declaration.aliasKey);
  }
  byResource.set(resource, mine);
  return conflicts;
}

/** Who other than `resource` declares the alias, if anyone. */
export function declaredElsewhere(aliasKey: string, resource: string): string | undefined {
  const entry = declarers.get(aliasKey);
  return entry === undefined || entry.resource === resource ? undefined : entry.declarer;
}

/** Whether any alias is declared more than once in the program. */
export function anyContested(): boolean {
  return contested.size > 0;
}

/** Every declarer of an alias the program declares more than once; undefined when it is declared once. */
export function declarersOf(aliasKey: string): string[] | undefined {
  const all = contested.get(aliasKey);
  return all ? [...all].sort() : undefined;
}

/**
 * Who declares the alias, if anything in the program does. A resource being
 * deleted is no longer declared, so any answer here is a live resource.
 */
export function declaredBy(aliasKey: string): string | undefined {
  return declarers.get(aliasKey)?.declarer;
}

/** Resolves once no declaration has arrived for DECLARATIONS_SETTLE_MS. */
export async function declarationsSettled(sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
  for (;;) {
    const quietFor = Date.now() - lastDeclarationAt;
    if (quietFor >= DECLARATIONS_SETTLE_MS) return;
    await sleep(DECLARATIONS_SETTLE_MS - quietFor);
  }
}

/** Forgets everything; for tests. */
export function resetDeclarations(): void {
  declarers.clear();
  byResource.clear();
  contested.clear();
  lastDeclarationAt = 0;
}
