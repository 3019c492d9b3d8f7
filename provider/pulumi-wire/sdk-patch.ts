// What a patch of the SDK's dependencies is: a plan, made by reading the
// shipped code without changing it, of which properties to replace. A plan
// that finds the code laid out otherwise than it expects says so instead
// (`skip`), and the SDK stays as shipped; apply-sdk-patches.ts carries a plan
// out, all of it or none.

/** One property to replace: `target[key] = value`. */
export interface Replacement {
  target: object;
  key: PropertyKey;
  value: unknown;
}

export type PatchPlan =
  /**
   * `marker` is the module the patch changes: it is marked once patched, so a
   * second application in the same process (a second copy of this package
   * included) finds it done.
   */
  | { kind: "replace"; marker: object; replacements: Replacement[] }
  /** Why the shipped code does not fit the patch, e.g. "BinaryReader.prototype.readBytes is not a function". */
  | { kind: "skip"; reason: string };

export interface SdkPatch {
  /** The patch's file name under provider/pulumi-wire/, which names it in logs and markers. */
  name: string;
  /** Reads the SDK's modules, never changes them. May throw: the caller treats a throw as a skip. */
  plan(env: NodeJS.ProcessEnv): PatchPlan;
}

export const skip = (reason: string): PatchPlan => ({ kind: "skip", reason });

/** A skip unless `value` is a function. */
export function functionAt(value: unknown, where: string): PatchPlan | undefined {
  return typeof value === "function" ? undefined : skip(`${where} is ${value === undefined ? "missing" : `a ${typeof value}, not a function`}`);
}
