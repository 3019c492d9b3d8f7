// Lets a user set's Diff answer name the properties a person should read.
// The engine prints the whole inputs of an update whose Diff names none
// (every shard, so every user: 20,000 lines at 1,000 users), and
// @pulumi/pulumi's dynamic provider (3.248 to 3.276 at least) copies only
// `changes`, `replaces` and `deleteBeforeReplace` from the provider's answer
// into the DiffResponse: a dynamic provider has no way to send a detailed diff
// (https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/).
//
// Its Diff handler calls `req.getOlds()`, then the provider's diff, then reads
// `result.changes` and at once calls `resp.setChanges(...)`, in the same
// turn. So this patch (1) tags the olds object the handler hands the provider
// with the request's URN, for the provider's messages to the engine, and (2)
// lets the provider return a result whose `changes`, when read, leaves its
// detailed diff in a slot that the next `setChanges` takes and writes into the
// response with `has_detailed_diff`. Nothing runs between the read and the
// write, so two diffs in flight cannot swap answers. Whether there is an
// update stays the provider's own `changes`.
//
// A handler laid out otherwise (checked on the SDK's code each time), or
// generated messages without these fields, leave the SDK as shipped: the
// engine then prints the whole inputs, as before.
import { functionAt, skip, type PatchPlan, type SdkPatch } from "./sdk-patch";
import { dynamicProviderSources, sdkModule } from "./sdk-module";

/** One property the engine shows, by its path in the inputs or outputs (`changes["0042 qa/ada"]`). */
export interface PathDiff {
  path: string;
  /** "add" and "delete" show only the new or old side; a refresh's diff is inverted by the engine. */
  kind: "add" | "delete" | "update";
  /** Whether the old side is the old inputs (true) or the old outputs (false). */
  inputDiff: boolean;
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}

interface Messages {
  DiffRequest: { prototype: { getOlds(): Struct; getUrn(): string } };
  DiffResponse: {
    prototype: {
      setChanges(value: number): unknown;
      setHasdetaileddiff(value: boolean): unknown;
      getDetaileddiffMap(): { set(key: string, value: unknown): unknown };
    };
  };
  PropertyDiff: { new (): { setKind(kind: number): unknown; setInputdiff(value: boolean): unknown }; Kind: Record<"ADD" | "DELETE" | "UPDATE", number> };
}

const NAME = "detailed-diff";
const MARKER = Symbol.for(`pulumi-braze-profiles.${NAME}`);
/** The slot is on globalThis: a second copy of this package in the process fills the one the patch reads. */
const SLOT = Symbol.for("pulumi-braze-profiles.detailed-diff-slot");
const URN = Symbol.for("pulumi-braze-profiles.request-urn");

/** What the SDK's Diff handler must do, in order, for the patch to fit it. */
const HANDLER_SHAPE =
  /req\.getOlds\(\)\.toJavaScript\(\)[\s\S]{0,600}?await provider\.diff\([^;]*\);\s*if \(result\.changes === true\) \{\s*resp\.setChanges\(/;

export const detailedDiff: SdkPatch = {
  name: NAME,
  plan(): PatchPlan {
    const sources = dynamicProviderSources().join("\n");
    if (!HANDLER_SHAPE.test(sources))
      return skip("the SDK's dynamic provider does not read the olds, call the provider's diff and set the response's changes as this patch expects");
    if (/Detaileddiff/.test(sources)) return skip("the SDK's dynamic provider sets a detailed diff itself");
    const messages = sdkModule<Partial<Messages>>("@pulumi/pulumi/proto/provider_pb");
    const request = messages.DiffRequest?.prototype;
    const response = messages.DiffResponse?.prototype;
    const notCallable =
      functionAt(request?.getOlds, "DiffRequest.prototype.getOlds") ??
      functionAt(request?.getUrn, "DiffRequest.prototype.getUrn") ??
      functionAt(response?.setChanges, "DiffResponse.prototype.setChanges") ??
      functionAt(response?.setHasdetaileddiff, "DiffResponse.prototype.setHasdetaileddiff") ??
      functionAt(response?.getDetaileddiffMap, "DiffResponse.prototype.getDetaileddiffMap") ??
      functionAt(messages.PropertyDiff?.prototype.setInputdiff, "PropertyDiff.prototype.setInputdiff");
    if (notCallable || !request || !response || !messages.PropertyDiff)
      return notCallable ?? skip("provider_pb has no DiffRequest, DiffResponse or PropertyDiff");
    const Kind = messages.PropertyDiff.Kind;
    if (typeof Kind?.ADD !== "number" || typeof Kind.DELETE !== "number" || typeof Kind.UPDATE !== "number")
      return skip("PropertyDiff.Kind has no ADD, DELETE and UPDATE");
    const PropertyDiff = messages.PropertyDiff;
    const { getOlds, setChanges } = { getOlds: request.getOlds, setChanges: response.setChanges };
    return {
      kind: "replace",
      marker: messages,
      replacements: [
        {
          target: request,
          key: "getOlds",
          value: function (this: Messages["DiffRequest"]["prototype"]) {
            const olds = getOlds.call(this);
            // The message's own writer reads its fields through here too, olds unset included.
            if (!olds) return olds;
            const urn = this.getUrn();
            const toJavaScript = olds.toJavaScript;
            // Own property of this one Struct: other readers of other requests see the class's method.
            olds.toJavaScript = function (this: Struct) {
              const value = toJavaScript.call(this);
              Object.defineProperty(value, URN, { value: urn, enumerable: false });
              return value;
            };
            return olds;
          },
        },
        {
          target: response,
          key: "setChanges",
          value: function (this: Messages["DiffResponse"]["prototype"], value: number) {
            const paths = takeSlot();
            if (paths !== undefined) {
              this.setHasdetaileddiff(true);
              const map = this.getDetaileddiffMap();
              for (const { path, kind, inputDiff } of paths) {
                const diff = new PropertyDiff();
                diff.setKind(kind === "add" ? Kind.ADD : kind === "delete" ? Kind.DELETE : Kind.UPDATE);
                diff.setInputdiff(inputDiff);
                map.set(path, diff);
              }
            }
            return setChanges.call(this, value);
          },
        },
      ],
    };
  },
};

/** Whether this process's SDK carries detailed diffs (the patch is in effect). */
export function carriesDetailedDiff(): boolean {
  try {
    return sdkModule<Record<symbol, unknown>>("@pulumi/pulumi/proto/provider_pb")[MARKER] === true;
  } catch {
    return false;
  }
}

/**
 * The provider's diff result, answering with `paths` as its detailed diff
 * when the patch is in effect; as it is otherwise (the engine shows the whole
 * inputs). `paths` empty is a detailed diff naming nothing.
 */
export function withDetailedDiff<T extends { changes: boolean }>(result: T, paths: readonly PathDiff[]): T {
  if (!carriesDetailedDiff()) return result;
  const { changes, ...rest } = result;
  return Object.defineProperty(rest, "changes", {
    enumerable: true,
    get() {
      (globalThis as Record<symbol, unknown>)[SLOT] = paths;
      return changes;
    },
  }) as T;
}

function takeSlot(): readonly PathDiff[] | undefined {
  const global = globalThis as Record<symbol, unknown>;
  const paths = global[SLOT] as readonly PathDiff[] | undefined;
  global[SLOT] = undefined;
  return paths;
}

/** The URN of the resource whose Diff handed over these olds, when the patch is in effect. */
export function urnOfDiff(olds: Record<string, unknown>): string | undefined {
  return (olds as Record<symbol, unknown>)[URN] as string | undefined;
}
