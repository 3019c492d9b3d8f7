#!/usr/bin/env node
// Thin launcher: the server is TypeScript compiled into dist/ (npm run build).
"use strict";
require("../dist/server/cli.js")
  .main(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`braze-local: ${error?.message ? error.message : error}\n`);
    process.exit(1);
  });
