// Where braze-local listens and which key it accepts when started without
// options. The provider reads these to default to a local server; braze-local
// reads them to start one. They live here, apart from both, so that the
// provider never imports the test peer (`server/`).

/** The port `npx braze-local` listens on without `--port`. */
export const DEFAULT_PORT = 4011;

/** The interface `npx braze-local` listens on without `--host`: loopback only. */
export const DEFAULT_HOST = "127.0.0.1";

/**
 * The key braze-local accepts when started without `--api-key`. A development
 * key, public on purpose: never use it for anything but a local server.
 */
export const DEVELOPMENT_API_KEY = "braze-local-dev-key";
