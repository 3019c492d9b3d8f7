const pulumi = require("@pulumi/pulumi");
const u = require("./users");
const env = process.env;
const N = Number(env.PV_N), CHANGE = String(env.PV_CHANGE ?? "-1").split(",").map(Number);
const SHAPE = env.PV_SHAPE; // map | yaml | jsonl
const texts = u.users(N, CHANGE, env.PV_ADD === "1", env.PV_REMOVE === "1");
const impl = () => require("module").createRequire(require("path").join(process.cwd(), "package.json"))("./impl.js");
const provider = {
  check: (...a) => impl().check(...a),
  diff: (...a) => impl().diff(...a),
  create: (...a) => impl().create(...a),
  update: (...a) => impl().update(...a),
  read: (...a) => impl().read(...a),
  delete: (...a) => impl().delete(...a),
};
const inputs = SHAPE === "map" ? { users: texts } : { shards: u.shards(texts, Number(env.PV_SHARDS || 256), SHAPE) };
const opts = {};
if (env.PV_HIDE) opts.hideDiffs = env.PV_HIDE.split(",");
if (env.PV_SECRET_OUTS) opts.additionalSecretOutputs = env.PV_SECRET_OUTS.split(",");
class Set extends pulumi.dynamic.Resource {
  constructor(name, props, o) { super(provider, name, { ...props, userCount: undefined, drift: undefined, record: undefined }, o, "pv", "Set"); }
}
new Set("users", inputs, opts);
