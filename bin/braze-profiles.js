#!/usr/bin/env node
// Thin launcher: the command is TypeScript compiled into dist/ (npm run build).
"use strict";
require("../dist/plan/cli.js")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`braze-profiles: ${error?.stack ? error.stack : error}\n`);
    process.exit(1);
  });
