// Times the check's `changes` computation (impl.js changesOf) on 256 YAML shards: one user and 1% changed.
const u = require("./users.js");
process.env.PV_SHARDS = "256";
const impl = require("./impl.js");
for (const n of [10000, 100000]) {
  const olds = { shards: u.shards(u.users(n, []), 256, "yaml") };
  for (const [label, change] of [["1 user", [n / 2]], ["1%", Array.from({ length: n / 100 }, (_, i) => i * 100)]]) {
    const news = { shards: u.shards(u.users(n, change), 256, "yaml") };
    const t0 = process.hrtime.bigint();
    const { inputs } = (process.env.PV_CHANGES = "1", impl.check(olds, news));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`${n} users, ${label} changed: check computed ${Object.keys(inputs.changes).length} changes in ${ms.toFixed(0)} ms, ${JSON.stringify(inputs.changes).length} bytes`);
  }
}
