// After a program declares its sets, one full collection gives the read file's
// memory back (provider/program-memory.ts): once per burst of declarations,
// after the declaring code, and only where Node exposes gc().
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { collectAfterDeclaring } from "../../provider/program-memory";

const ProgramMemory = suite("program memory");
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const global = globalThis as { gc?: () => void };

ProgramMemory("collects once after the code that declared several sets, not during it", async () => {
  const exposed = global.gc;
  let collections = 0;
  global.gc = () => void (collections += 1);
  try {
    collectAfterDeclaring();
    collectAfterDeclaring();
    assert.is(collections, 0, "not while the program is still declaring");
    await nextTurn();
    assert.is(collections, 1);
    collectAfterDeclaring();
    await nextTurn();
    assert.is(collections, 2, "a later declaration collects again");
  } finally {
    global.gc = exposed;
  }
});

ProgramMemory("where Node does not expose gc() it schedules nothing, and a later program that exposes it still collects", async () => {
  const exposed = global.gc;
  delete global.gc;
  try {
    collectAfterDeclaring();
    let collections = 0;
    global.gc = () => void (collections += 1);
    await nextTurn();
    assert.is(collections, 0, "nothing was scheduled without gc()");
    collectAfterDeclaring();
    await nextTurn();
    assert.is(collections, 1);
  } finally {
    global.gc = exposed;
  }
});

ProgramMemory.run();
