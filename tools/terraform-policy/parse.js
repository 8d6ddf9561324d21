#!/usr/bin/env node
// Parses .tf files with HashiCorp's HCL parser (the wasm build in @cdktf/hcl2json) and prints one JSON document:
//   { "files": { "<path>": <hcl2json body>, ... }, "errors": [ { "file": "<path>", "message": "<file>:<line>,<col>: ..." } ] }
// Usage: node parse.js <file.tf>...   or   node parse.js --stdin   (one path per line on standard input)
// Exit code: 0 when every file parsed, 1 when any file has a syntax error (the JSON still lists all results),
// 2 on usage errors. Expressions come back as "${...}" strings; the policy tests read them as text.
"use strict";

const fs = require("fs");

let hcl;
try {
  hcl = require("@cdktf/hcl2json");
} catch (e) {
  process.stderr.write("@cdktf/hcl2json is not installed: run `npm ci` in tools/terraform-policy\n");
  process.exit(2);
}

function readPaths() {
  const args = process.argv.slice(2);
  if (args.length === 1 && args[0] === "--stdin") {
    return fs.readFileSync(0, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  }
  return args;
}

async function main() {
  const paths = readPaths();
  if (paths.length === 0) {
    process.stderr.write("usage: node parse.js <file.tf>... | --stdin\n");
    return 2;
  }
  const files = {};
  const errors = [];
  for (const path of paths) {
    let text;
    try {
      text = fs.readFileSync(path, "utf8");
    } catch (e) {
      errors.push({ file: path, message: `${path}: cannot read: ${e.message}` });
      continue;
    }
    try {
      files[path] = await hcl.parse(path, text);
    } catch (e) {
      // The parser reports "parse config: [<file>:<line>,<col>-<line>,<col>: <summary>; <detail>]".
      const message = String(e && e.message ? e.message : e).replace(/^Error:\s*/, "").replace(/^parse config:\s*\[(.*)\]$/s, "$1");
      errors.push({ file: path, message });
    }
  }
  process.stdout.write(JSON.stringify({ files, errors }));
  for (const err of errors) process.stderr.write(err.message + "\n");
  return errors.length === 0 ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(String(e && e.stack ? e.stack : e) + "\n"); process.exitCode = 2; }
);
