#!/usr/bin/env bash
# The test command (README, Jenkins and .ci/run all call this): installs the pinned npm tools if missing,
# restores, builds with warnings as errors, runs every test project, and ends with one line
# "N passed, N failed, N skipped". Exits non-zero on any failure.
# Results: artifacts/test-results/*.trx (and NUnit XML) for Jenkins.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

ensure_npm() { # dir: npm ci there when node_modules is missing or older than the lock file
  local dir="$root/$1"
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "==> npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $1"; return 1; }
    touch "$dir/node_modules"
  fi
}

start=$(date +%s)
ensure_npm tools/local-cloud || exit 1
ensure_npm tools/terraform-policy || exit 1

echo "==> build (Release, warnings are errors)"
if ! dotnet build Functions.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "==> test"
log="$results/dotnet-test.log"
# One project at a time keeps the 2-core CI machine predictable (end-to-end tests start emulators and functions).
status=0
for proj in $(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | sort); do
  name="$(basename "$proj" .csproj)"
  echo "--> $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" -- NUnit.TestOutputXml="$results/nunit" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# Sum the per-project summary lines: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...".
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
projects=$(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | wc -l)
summaries=$(grep -cE '^(Passed|Failed)!' "$log" || true)
if [ "$summaries" -lt "$projects" ]; then
  echo "$((projects - summaries)) test project(s) produced no summary (crashed or ran nothing)"
  failed=$((failed + projects - summaries)); status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "tests took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
