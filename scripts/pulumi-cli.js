#!/usr/bin/env node
// Provides a Pulumi CLI whose version matches the installed @pulumi/pulumi, and
// prints its root directory (the folder holding bin/pulumi) as the last line of
// stdout. Progress goes to stderr.
//
//   1. `pulumi` on PATH at the same version, with the Node.js language host beside
//      it, is used as it is.
//   2. Otherwise the CLI and the language host are built from their Go modules
//      (tools/pulumi-cli, tools/pulumi-language-nodejs) into a cache directory
//      outside the repository, keyed by version and by the module files, and reused
//      on later runs. get.pulumi.com is never contacted.
//   3. pulumi-resource-pulumi-nodejs, the dynamic-provider launcher that ships
//      inside @pulumi/pulumi, is put next to them, executable: the engine finds
//      bundled plugins next to the resolved `pulumi` executable.
//
// Usage: node scripts/pulumi-cli.js            (prints the root)
//        export PATH="$(node scripts/pulumi-cli.js)/bin:$PATH"
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const toolsDir = path.join(repoRoot, "tools");
const cliModule = path.join(toolsDir, "pulumi-cli");
const languageHostModule = path.join(toolsDir, "pulumi-language-nodejs");

const VERSION_PACKAGE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
// The flags of Pulumi's own release builds: a static binary without cgo, and no
// gRPC tracing. Without the -X version flag `pulumi version` prints nothing and
// the Automation API cannot parse the CLI's version.
const GO_BUILD_TAGS = "osusergo,grpcnotrace";

function log(message) {
  process.stderr.write(`[pulumi-cli] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[pulumi-cli] error: ${message}\n`);
  process.exit(1);
}

function sdkPackageDir() {
  try {
    return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }));
  } catch {
    fail('@pulumi/pulumi is not installed. Run "npm ci" in the repository first.');
  }
}

/** The version the Go module pins for a module path, read from go.mod. */
function goModVersion(moduleDir, modulePath) {
  const goMod = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const match = new RegExp(`^\\s*${modulePath.replace(/[./]/g, "\\$&")} (v\\S+)`, "m").exec(goMod);
  if (!match) fail(`${path.relative(repoRoot, moduleDir)}/go.mod does not require ${modulePath}`);
  return match[1];
}

function versionOf(binary) {
  const result = spawnSync(binary, ["version"], { encoding: "utf8", env: offlineEnv() });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function offlineEnv() {
  return { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
}

function findOnPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A `pulumi` on PATH at the wanted version, as a root with bin/pulumi, or undefined. */
function pulumiFromPath(wanted) {
  const found = findOnPath("pulumi");
  if (!found) return undefined;
  const real = fs.realpathSync(found);
  const version = versionOf(real);
  if (version !== wanted) {
    log(`ignoring ${found}: it is ${version || "of unknown version"}, @pulumi/pulumi needs ${wanted}`);
    return undefined;
  }
  const binDir = path.dirname(real);
  if (!fs.existsSync(path.join(binDir, "pulumi-language-nodejs"))) {
    log(`ignoring ${found}: no pulumi-language-nodejs next to it`);
    return undefined;
  }
  if (path.basename(binDir) !== "bin") {
    // PulumiCommand.get({ root }) runs <root>/bin/pulumi: give it a root of links.
    return linkRoot(binDir, wanted);
  }
  return path.dirname(binDir);
}

function linkRoot(binDir, version) {
  const root = path.join(cacheBase(), `path-${version}`);
  fs.mkdirSync(path.join(root, "bin"), { recursive: true });
  for (const name of ["pulumi", "pulumi-language-nodejs"]) {
    const link = path.join(root, "bin", name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(binDir, name), link);
  }
  return root;
}

function cacheBase() {
  const base =
    process.env.PULUMI_BRAZE_CLI_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-braze-profiles", "pulumi-cli");
  fs.mkdirSync(base, { recursive: true });
  return base;
}

/** Cache key: the CLI version plus a hash of both modules' go.mod and go.sum. */
function cacheRoot(version) {
  const hash = crypto.createHash("sha256");
  for (const dir of [cliModule, languageHostModule]) {
    for (const file of ["go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(dir, file)));
  }
  return path.join(cacheBase(), `${version}-${hash.digest("hex").slice(0, 12)}`);
}

function requireGo() {
  const go = findOnPath("go") || (fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
  if (!go) {
    fail(
      "no Pulumi CLI matching @pulumi/pulumi was found on PATH, and Go is not installed to build one.\n" +
        "  Install either the Pulumi CLI at the version in package.json (https://www.pulumi.com/docs/install/),\n" +
        "  or Go >= 1.24 (https://go.dev/dl/; newer toolchains are fetched through the Go module proxy).",
    );
  }
  return go;
}

function goBuild(go, moduleDir, pkg, output, version) {
  const started = Date.now();
  log(`building ${path.basename(output)} ${version} from ${path.relative(repoRoot, moduleDir)} (a cold build takes several minutes on 2 cores)…`);
  const ticker = setInterval(() => log(`  still building ${path.basename(output)} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    execFileSync(go, ["build", "-trimpath", "-tags", GO_BUILD_TAGS, "-ldflags", `-s -w -X ${VERSION_PACKAGE}=${version}`, "-o", output, pkg], {
      cwd: moduleDir,
      stdio: ["ignore", "inherit", "inherit"],
      // -mod=readonly: go.sum pins every module hash, so nothing is resolved anew.
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly", GOTOOLCHAIN: process.env.GOTOOLCHAIN || "auto" },
    });
  } catch (error) {
    fail(`go build of ${pkg} failed (exit ${error.status}); see the output above`);
  } finally {
    clearInterval(ticker);
  }
  log(`  built ${path.basename(output)} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function installDynamicProviderLauncher(sdkDir, binDir) {
  const source = path.join(sdkDir, "pulumi-resource-pulumi-nodejs");
  if (!fs.existsSync(source)) fail(`${source} is missing: reinstall @pulumi/pulumi`);
  const target = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  fs.copyFileSync(source, target);
  fs.chmodSync(target, 0o755);
}

function main() {
  const sdkDir = sdkPackageDir();
  const sdkVersion = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8")).version;
  const wanted = `v${sdkVersion}`;
  const pinned = goModVersion(cliModule, "github.com/pulumi/pulumi/pkg/v3");
  if (pinned !== wanted) {
    fail(`tools/pulumi-cli/go.mod pins pkg/v3 ${pinned} but node_modules has @pulumi/pulumi ${sdkVersion}; move both to one version`);
  }

  const fromPath = pulumiFromPath(wanted);
  if (fromPath) {
    log(`using ${path.join(fromPath, "bin", "pulumi")} (${wanted}) from PATH`);
    process.stdout.write(`${fromPath}\n`);
    return;
  }

  const root = cacheRoot(wanted);
  const binDir = path.join(root, "bin");
  if (versionOf(path.join(binDir, "pulumi")) === wanted && fs.existsSync(path.join(binDir, "pulumi-language-nodejs"))) {
    installDynamicProviderLauncher(sdkDir, binDir); // cheap, and follows an SDK reinstall
    log(`using cached ${path.join(binDir, "pulumi")} (${wanted})`);
    process.stdout.write(`${root}\n`);
    return;
  }

  const go = requireGo();
  // Build into a scratch folder and rename it into place, so an interrupted or
  // concurrent build never leaves a half-written cache entry that looks complete.
  const scratch = fs.mkdtempSync(`${root}.building-`);
  const scratchBin = path.join(scratch, "bin");
  fs.mkdirSync(scratchBin);
  goBuild(go, cliModule, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", path.join(scratchBin, "pulumi"), wanted);
  const hostVersion = goModVersion(languageHostModule, "github.com/pulumi/pulumi/sdk/v3");
  goBuild(
    go,
    languageHostModule,
    "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    path.join(scratchBin, "pulumi-language-nodejs"),
    hostVersion,
  );
  installDynamicProviderLauncher(sdkDir, scratchBin);
  const built = versionOf(path.join(scratchBin, "pulumi"));
  if (built !== wanted) fail(`the built CLI reports "${built}", expected ${wanted}`);
  if (versionOf(path.join(binDir, "pulumi")) === wanted && fs.existsSync(path.join(binDir, "pulumi-language-nodejs"))) {
    // Another process finished the same build first and may be running it: keep its copy.
    fs.rmSync(scratch, { recursive: true, force: true });
  } else {
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(scratch, root);
  }
  log(`cached in ${root}`);
  process.stdout.write(`${root}\n`);
}

main();
