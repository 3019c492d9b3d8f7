// Gives the memory of a read desired-state file back once a program has declared
// its sets. By then the parsed file (every user as objects, ~400 MB of heap at
// 100,000 users) is garbage, but V8 collects its old generation only under
// allocation pressure, which a program that now waits on the engine no longer
// has: its resident memory would stay at its peak for the whole run, next to the
// engine's and the provider's. One full collection after the declaring code has
// run returns about 350 MB of it. It needs Node's --expose-gc (the root
// Pulumi.yaml's nodeargs); without it nothing happens.

let scheduled = false;

/** Schedules one full garbage collection after the code running now, if the program allows it. */
export function collectAfterDeclaring(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (scheduled || typeof gc !== "function") return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    gc();
  });
}
