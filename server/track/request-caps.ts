// How many objects one POST /users/track may carry. Braze has three regimes,
// by contract and age of the workspace
// (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/):
// - legacy: up to 75 attributes, 75 events and 75 purchases (225 objects);
// - current default: up to 75 objects across the three arrays together;
// - Monthly Active Users CY 24-25 contracts: up to 50 updates combined across
//   attribute, event and purchase objects.
// Over the cap, Braze refuses the whole request: 400 "Max Input Length Exceeded".
// Pure.
import { BrazeApiError } from "../errors/braze-api-error";
import { OptionError } from "../errors/option-error";

export const REQUEST_CAP_REGIMES = ["per-array-75", "combined-75", "combined-50"] as const;
export type RequestCapRegime = (typeof REQUEST_CAP_REGIMES)[number];

/**
 * Braze's newest documented default applies 75 objects per request across the
 * three arrays; the per-array cap is the older ("legacy rate limits") regime,
 * and 50 combined belongs to Monthly Active Users CY 24-25 contracts.
 */
export const DEFAULT_REQUEST_CAP: RequestCapRegime = "combined-75";

export const MAX_INPUT_LENGTH_MESSAGE = "Max Input Length Exceeded";

export interface RequestCap {
  /** Objects allowed in each of attributes, events and purchases; undefined when only the combined cap applies. */
  perArray?: number;
  /** Objects allowed across the three arrays together; undefined in the legacy regime. */
  combined?: number;
}

export const REQUEST_CAPS: Readonly<Record<RequestCapRegime, RequestCap>> = {
  "per-array-75": { perArray: 75 },
  "combined-75": { combined: 75 },
  "combined-50": { combined: 50 },
};

export function parseRequestCapRegime(text: string, option = "--request-cap"): RequestCapRegime {
  if ((REQUEST_CAP_REGIMES as readonly string[]).includes(text)) return text as RequestCapRegime;
  throw new OptionError(option, `"${text}" is not a Braze request-cap regime`, `use one of ${REQUEST_CAP_REGIMES.join(", ")}`);
}

/** Throws Braze's fatal 400 when the arrays (their lengths by name) hold more objects than `regime` allows. */
export function checkRequestCap(regime: RequestCapRegime, lengths: Readonly<Record<string, number>>): void {
  const cap = REQUEST_CAPS[regime];
  if (cap.perArray !== undefined) {
    for (const [array, length] of Object.entries(lengths)) {
      if (length > cap.perArray) {
        throw new BrazeApiError(400, MAX_INPUT_LENGTH_MESSAGE, [
          { type: `'${array}' holds ${length} objects; this workspace (${regime}) allows at most ${cap.perArray} per array in one request` },
        ]);
      }
    }
  }
  const combined = Object.values(lengths).reduce((sum, length) => sum + length, 0);
  if (cap.combined !== undefined && combined > cap.combined) {
    throw new BrazeApiError(400, MAX_INPUT_LENGTH_MESSAGE, [
      {
        type: `the request holds ${combined} objects; this workspace (${regime}) allows at most ${cap.combined} across attributes, events and purchases together`,
      },
    ]);
  }
}
