#!/usr/bin/env bash
# The main job: every pipeline end to end on this machine, one command.
#   ./scripts/run-local.sh [--small] [--keep] [--topology-windows]
# Installs the pinned AWS emulators (tools/local-cloud) when missing, builds the CLI and the functions, then runs
# `./scripts/pipeline run-local`, which starts the local cloud, runs the producers, waits for every pipeline to drain,
# checks each end state and prints a summary. Exit code 0 only if every pipeline ended in the state its inputs imply.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v node >/dev/null || { echo "run-local: Node.js 20+ is needed for the local AWS emulators" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "run-local: the .NET SDK is needed" >&2; exit 1; }

cloud="$root/tools/local-cloud"
if [ ! -d "$cloud/node_modules/kinesalite" ] || [ ! -d "$cloud/node_modules/dynalite" ] || \
   [ ! -d "$cloud/node_modules/s3rver" ] || [ ! -d "$cloud/node_modules/local-aws-sqs" ]; then
  echo "installing the pinned AWS emulators (npm ci in tools/local-cloud)..." >&2
  (cd "$cloud" && npm ci --no-audit --no-fund --loglevel=error)
fi

exec "$root/scripts/pipeline" run-local "$@"
