#!/usr/bin/env bash
# scripts/package.sh [function-name ...]: publishes each Lambda function (default: every function in
# topology/topology.json) as a provided.al2023 custom runtime: self-contained, trimmed, ReadyToRun linux-x64,
# executable renamed to `bootstrap`, zipped to artifacts/<function-name>.zip with bootstrap at the root (mode 755).
# The unzipped publish folder stays in artifacts/publish/<function-name>/ (the local cloud can run it).
# Trim/AOT warnings fail the build. Env: PACKAGE_BUILD_DIR (intermediate build folder, default artifacts/build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
build_dir="${PACKAGE_BUILD_DIR:-$root/artifacts/build}"
mkdir -p "$root/artifacts/publish" "$build_dir"

# name<TAB>project for every function in the topology (node is required by the repo anyway; python3 as a fallback).
list_functions() {
  local js='const t=require(process.argv[1]);for(const p of Object.values(t.pipelines))for(const [n,f] of Object.entries(p.functions||{}))console.log(n+"\t"+f.project)'
  if command -v node >/dev/null; then node -e "$js" "$root/topology/topology.json"
  else python3 -c 'import json,sys
t=json.load(open(sys.argv[1]))
for p in t["pipelines"].values():
    for n,f in p.get("functions",{}).items(): print(n+"\t"+f["project"])' "$root/topology/topology.json"
  fi
}

zip_dir() { # dir zipfile: bootstrap (and every file) at the root, bootstrap executable
  local dir="$1" out="$2"
  rm -f "$out"
  if command -v zip >/dev/null; then
    (cd "$dir" && chmod 755 bootstrap && zip -q -X -r -9 "$out" .)
  else
    python3 - "$dir" "$out" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for base, _, files in os.walk(src):
        for f in sorted(files):
            path = os.path.join(base, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, src))
            info.create_system = 3  # Unix, so Lambda honours the mode bits
            mode = 0o755 if info.filename == "bootstrap" or os.access(path, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                z.writestr(info, fh.read())
PY
  fi
}

check_zip() { # zipfile: bootstrap must be a root entry with the owner-execute bit
  python3 - "$1" <<'PY' 2>/dev/null || unzip -Z "$1" bootstrap | grep -q '^-rwx'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
info = z.getinfo("bootstrap")
sys.exit(0 if (info.external_attr >> 16) & 0o100 else 1)
PY
}

mapfile -t all < <(list_functions)
wanted=("$@")
selected=()
for line in "${all[@]}"; do
  name="${line%%$'\t'*}"
  if [ ${#wanted[@]} -eq 0 ] || printf '%s\n' "${wanted[@]}" | grep -qx "$name"; then selected+=("$line"); fi
done
for w in "${wanted[@]}"; do
  printf '%s\n' "${all[@]}" | cut -f1 | grep -qx "$w" || { echo "unknown function '$w' (see topology/topology.json)" >&2; exit 2; }
done

status=0
for line in "${selected[@]}"; do
  name="${line%%$'\t'*}"
  project="$root/${line#*$'\t'}"
  out="$root/artifacts/publish/$name"
  zipfile="$root/artifacts/$name.zip"
  csproj="$(ls "$project"/*.csproj)"
  assembly="$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$csproj" | head -1)"
  assembly="${assembly:-$(basename "$csproj" .csproj)}"
  echo "==> $name ($csproj)"
  rm -rf "$out"
  log="$build_dir/$name.publish.log"
  start=$(date +%s)
  # Startup knobs (runtimeconfig feature switches): no background GC thread, no PGO instrumentation, no EventSource
  # or HTTP activity plumbing; a Lambda sandbox runs one invocation at a time and is observed through stdout.
  if ! dotnet publish "$csproj" -c Release -r linux-x64 --self-contained \
        -p:PublishReadyToRun=true -p:PublishTrimmed=true -p:InvariantGlobalization=true \
        -p:ConcurrentGarbageCollection=false -p:TieredPGO=false -p:EventSourceSupport=false \
        -p:HttpActivityPropagationSupport=false \
        -p:TreatWarningsAsErrors=true -p:ILLinkTreatWarningsAsErrors=true -p:TrimmerSingleWarn=false \
        -p:DebugType=none -p:GenerateDocumentationFile=false \
        --artifacts-path "$build_dir" -o "$out" -nologo -v quiet -clp:NoSummary >"$log" 2>&1; then
    cat "$log"
    echo "publish failed: $name" >&2
    status=1
    continue
  fi
  if grep -E "warning (IL|CS|CA)[0-9]+" "$log"; then
    echo "publish of $name produced warnings (see above)" >&2
    status=1
    continue
  fi
  mv "$out/$assembly" "$out/bootstrap"
  # Debugger/diagnostics and alternative-GC native libraries are never loaded by a Lambda function: leaving them out
  # saves ~7 MB unzipped and skips the LTTng provider load at startup.
  rm -f "$out"/createdump "$out"/libmscordbi.so "$out"/libmscordaccore.so "$out"/libclrgc.so "$out"/libclrgcexp.so \
        "$out"/libcoreclrtraceptprovider.so
  zip_dir "$out" "$zipfile"
  check_zip "$zipfile" || { echo "$zipfile: bootstrap is missing or not executable" >&2; status=1; continue; }
  size=$(stat -c %s "$zipfile")
  printf '    %s: %s bytes (%.1f MB), %d files, 0 trim warnings, %ds\n' "artifacts/$name.zip" "$size" \
    "$(awk "BEGIN{print $size/1048576}")" "$(find "$out" -type f | wc -l)" $(( $(date +%s) - start ))
done
exit $status
