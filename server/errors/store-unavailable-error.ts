import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * braze-local cannot open its workspace store because better-sqlite3, a native
 * module, is not installed or did not build. It is an optional dependency so
 * that installing the package for the provider alone needs no C/C++ toolchain;
 * the message says how to get it. `cause` holds the loader's own error.
 */
export class StoreUnavailableError extends BrazeProfilesError {
  override readonly name = "StoreUnavailableError";

  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    super({
      where: "braze-local",
      what: `its workspace store needs better-sqlite3, and it could not be loaded (${reason})`,
      hint:
        `install it next to this package with "npm install better-sqlite3" (a prebuilt binary is used where one fits the platform; ` +
        `otherwise it builds from source, which needs Python and a C/C++ toolchain). The provider alone does not need it`,
      cause,
    });
  }
}
