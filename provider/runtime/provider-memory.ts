// Gives a provider process's garbage back before a set's update or create
// allocates its largest values (the record, the requests). By then the process
// holds the raw bytes of the requests it has just read: gRPC receives a
// message as many chunks, then joins them, so each check, diff and update
// request leaves twice its size behind (at 100,000 users, 220 MB of buffers at
// the start of an update, plus the strings of the inputs read before), and V8
// collects them only under allocation pressure, at the moment the update's own
// values and the engine's checkpoint writes make the run's peak. Collecting
// once there takes 0.1 to 0.3 s and lowers that peak by about 200 MB; once
// more when the update is done lets the engine write its checkpoints next to
// a provider that holds only what it still needs.
//
// The provider process is started by the engine with no Node.js options of
// ours, so gc() is exposed at run time, as Jest's leak detector does it: the
// flag, then a new context, whose global `gc` is the collector.
import * as v8 from "node:v8";
import * as vm from "node:vm";

let collect: (() => void) | undefined;

/** One full garbage collection, now. */
export function collectGarbage(): void {
  if (collect === undefined) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}
