// A stub of the Braze users API for tests of the set's send path
// (provider/runtime/user-set-send.ts). The calls a test does not give answer
// nothing; /users/track accepts every bundle, its events applied, and is logged
// in `calls` with what `logged` picks of each bundle.
import { trackCaps, type TrackBundle } from "../../../provider/braze/track-packing";
import type { BrazeUsersApi, BundleOutcome } from "../../../provider/braze/users-api";

export type StubCalls = Array<[string, unknown]>;

export function stubUsersApi(
  calls: StubCalls,
  overrides: Partial<Record<keyof BrazeUsersApi, unknown>>,
  logged: (bundle: TrackBundle) => unknown = (bundle) => bundle.attributes,
): BrazeUsersApi {
  return {
    trackCaps: trackCaps(50, "combined"),
    identifyAll: async () => [],
    deleteAll: async () => [],
    renameAll: async () => [],
    attachAll: async () => [],
    trackBundles: async (bundles: readonly TrackBundle[]): Promise<BundleOutcome[]> => {
      calls.push(["track", bundles.map(logged)]);
      return bundles.map((bundle) => ({
        attributes: { ok: true, value: undefined },
        events: bundle.events.map(() => ({ state: "applied" as const })),
        purchases: [],
        request: 0,
      }));
    },
    ...overrides,
  } as unknown as BrazeUsersApi;
}
