#!/usr/bin/env node
// Starts one pinned AWS emulator bound to 127.0.0.1 and prints one ready line:
//   READY <service> http://127.0.0.1:<port>
// Usage: node launch.js <kinesis|dynamodb|s3|sqs> [--port N] [--dir PATH]
// --port 0 (the default) lets the OS pick a free port, so callers never race for one.
// s3 also prints one line per object event, "S3EVENT <json>", which the .NET host turns into
// AWS-shaped S3 -> SQS notifications (s3rver has no notification configuration of its own).
// The process exits when its stdin closes, so emulators never outlive the host that started them.
'use strict';

const fs = require('fs');
const path = require('path');

const HOST = '127.0.0.1';

function parseArgs(argv) {
  const [service, ...rest] = argv;
  const opts = { service, port: 0, dir: undefined };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--port') opts.port = Number(rest[++i]);
    else if (rest[i] === '--dir') opts.dir = rest[++i];
    else fail(`unknown argument ${rest[i]}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) fail('--port must be 0..65535');
  return opts;
}

function fail(message) {
  process.stderr.write(`launch.js: ${message}\n`);
  process.exit(2);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server.address().port));
  });
}

function ensureDir(dir) {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  return dir;
}

async function startKinesis(opts) {
  // Stream state changes are instant locally; AWS's CREATING delay only slows provisioning down.
  const server = require('kinesalite')({
    path: ensureDir(opts.dir), createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000,
  });
  return { port: await listen(server, opts.port), close: () => new Promise(r => server.close(() => r())) };
}

async function startDynamoDb(opts) {
  const server = require('dynalite')({
    path: ensureDir(opts.dir), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0,
  });
  return { port: await listen(server, opts.port), close: () => new Promise(r => server.close(() => r())) };
}

async function startS3(opts) {
  const S3rver = require('s3rver');
  const directory = ensureDir(opts.dir || fs.mkdtempSync(path.join(require('os').tmpdir(), 's3rver-')));
  const s3 = new S3rver({ address: HOST, port: opts.port, directory, silent: true, vhostBuckets: false });
  s3.on('event', event => {
    for (const record of event.Records || []) {
      const o = record.s3.object;
      process.stdout.write('S3EVENT ' + JSON.stringify({
        eventName: record.eventName,
        eventTime: record.eventTime,
        bucket: record.s3.bucket.name,
        key: o.key,
        size: o.size === undefined ? null : o.size,
        eTag: o.eTag === undefined ? null : o.eTag,
        sourceIPAddress: record.requestParameters.sourceIPAddress,
      }) + '\n');
    }
  });
  const { port } = await s3.run();
  return { port, close: () => s3.close() };
}

async function startSqs(opts) {
  // local-aws-sqs keeps queues in memory; --dir is accepted for symmetry and ignored.
  const { createSqsServer } = require('local-aws-sqs');
  const server = await createSqsServer({
    port: opts.port, hostname: HOST, validateDlqDestination: true, emulateQueueCreationLifecycle: false,
  });
  if (!server.listening) await new Promise(r => server.once('listening', r));
  return { port: server.address().port, close: () => new Promise(r => server.close(() => r())) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const starters = { kinesis: startKinesis, dynamodb: startDynamoDb, s3: startS3, sqs: startSqs };
  const start = starters[opts.service];
  if (!start) fail(`service must be one of ${Object.keys(starters).join(', ')}`);
  const running = await start(opts);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => process.exit(0), 2000);
    try { await running.close(); } catch { /* exiting anyway */ }
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
  process.stdout.write(`READY ${opts.service} http://${HOST}:${running.port}\n`);
}

main().catch(err => {
  process.stderr.write(`launch.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
