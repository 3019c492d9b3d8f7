// The one entry point for the patches of private code in the SDK's
// dependencies (google-protobuf's string codec, the SDK's generated messages,
// grpc-js's server internals). They make a user set's operations faster and
// leaner, never different, but for detailed-diff, which makes only what a
// person reads of a preview or refresh shorter; they also run whenever stored provider text loads,
// destroy and refresh of old stacks included, under whichever @pulumi/pulumi
// the user installed. So each one fails safe: it checks the shape of the code
// it relies on before changing anything, and on a mismatch, or anything
// throwing, the SDK stays as shipped and the process says once, at debug level
// (debug-log.ts), which patch it skipped and why.
//
// BRAZE_PROFILES_SDK_PATCHES=off (apply-sdk-patch.ts) turns every patch off: the SDK runs as
// shipped, slower on large sets, with the same results (and previews that
// print every user of a changed set).
import { applySdkPatch, type ApplyOptions } from "./apply-sdk-patch";
import { detailedDiff } from "./detailed-diff";
import { protobufStrings } from "./protobuf-strings";
import { receivedChunks } from "./received-chunks";
import type { SdkPatch } from "./sdk-patch";
import { uncopiedMessages } from "./uncopied-messages";
import { unreadOldInputs } from "./unread-old-inputs";

export const SDK_PATCHES: readonly SdkPatch[] = [protobufStrings, unreadOldInputs, receivedChunks, uncopiedMessages, detailedDiff];

/**
 * Applies every patch that fits the SDK in use. Idempotent.
 * @returns each patch's name and whether it is in effect.
 */
export function applySdkPatches(options: ApplyOptions = {}): Record<string, boolean> {
  return Object.fromEntries(SDK_PATCHES.map((patch) => [patch.name, applySdkPatch(patch, options)]));
}
