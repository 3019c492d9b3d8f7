// How one patch of the SDK's dependencies is applied so that it fails safe
// (see apply-sdk-patches.ts, the entry point): its plan is read first, then
// carried out whole or not at all, and a skip is said once per process.
import { debugLog } from "./debug-log";
import type { Replacement, SdkPatch } from "./sdk-patch";

/** The environment variable that, set to "off", leaves the SDK as shipped. */
export const SDK_PATCHES_SWITCH = "BRAZE_PROFILES_SDK_PATCHES";

export interface ApplyOptions {
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where a skip is said. @default debugLog */
  log?: (message: string) => void;
  /** The patches whose skip was already said. @default one set per process, shared by every copy of this package */
  said?: Set<string>;
}

const SAID_IN_PROCESS = Symbol.for("pulumi-braze-profiles.sdk-patches-said");

/**
 * Applies one patch, or leaves the SDK as shipped and says why. Never throws.
 * @returns whether the patch is in effect.
 */
export function applySdkPatch(patch: SdkPatch, options: ApplyOptions = {}): boolean {
  const { env = process.env, log = debugLog, said = saidInProcess() } = options;
  const skipped = attempt(patch, env);
  if (skipped === undefined) return true;
  if (!said.has(patch.name)) {
    said.add(patch.name);
    try {
      log(`pulumi-braze-profiles: SDK patch ${patch.name} skipped, so the SDK runs as shipped (slower on large sets, same results): ${skipped}`);
    } catch {
      // Only a message was lost.
    }
  }
  return false;
}

/** Why the patch is not in effect, or undefined once it is. */
function attempt(patch: SdkPatch, env: NodeJS.ProcessEnv): string | undefined {
  if (env[SDK_PATCHES_SWITCH] === "off") return `${SDK_PATCHES_SWITCH}=off`;
  try {
    const plan = patch.plan(env);
    if (plan.kind === "skip") return plan.reason;
    const marker = Symbol.for(`pulumi-braze-profiles.${patch.name}`);
    if ((plan.marker as Record<symbol, unknown>)[marker] === true) return undefined;
    replaceAll([...plan.replacements, { target: plan.marker, key: marker, value: true }]);
    return undefined;
  } catch (error) {
    return `the SDK's code threw while it was ${error instanceof PartlyReplaced ? "patched (every change undone)" : "read"}: ${(error as Error)?.message ?? error}`;
  }
}

class PartlyReplaced extends Error {
  override readonly name = "PartlyReplaced";
}

/**
 * Makes every replacement, or none: one that throws or does not take (a
 * frozen object, a setter) puts back the ones before it.
 * @throws PartlyReplaced, after undoing.
 */
export function replaceAll(replacements: readonly Replacement[]): void {
  const done: Array<{ replacement: Replacement; before: PropertyDescriptor | undefined }> = [];
  try {
    for (const replacement of replacements) {
      const target = replacement.target as Record<PropertyKey, unknown>;
      done.push({ replacement, before: Object.getOwnPropertyDescriptor(target, replacement.key) });
      target[replacement.key] = replacement.value;
      if (target[replacement.key] !== replacement.value) throw new Error(`${String(replacement.key)} kept its value when replaced`);
    }
  } catch (error) {
    for (const { replacement, before } of done.reverse()) {
      const target = replacement.target as Record<PropertyKey, unknown>;
      try {
        if (before) Object.defineProperty(target, replacement.key, before);
        else delete target[replacement.key];
      } catch {
        // A property that cannot be put back could not be changed either.
      }
    }
    throw new PartlyReplaced((error as Error)?.message ?? String(error), { cause: error });
  }
}

function saidInProcess(): Set<string> {
  const global = globalThis as { [SAID_IN_PROCESS]?: Set<string> };
  return (global[SAID_IN_PROCESS] ??= new Set());
}
