#!/usr/bin/env bash
# Deploys one environment with Terraform: the right backend config and var file, a saved plan, and only ever
# applying that saved plan. Used by people and by the Jenkinsfile alike.
#
#   scripts/deploy.sh <dev|staging|prod> init                 init with the environment's S3 backend (backend.hcl)
#   scripts/deploy.sh <env> validate                          terraform fmt -check (all of terraform/) + init + validate
#   scripts/deploy.sh <env> plan [--destroy]                  plan (or a destroy plan) to a saved plan file + summary
#   scripts/deploy.sh <env> apply   [--saved] [--auto-approve]
#   scripts/deploy.sh <env> destroy [--saved] [--auto-approve]
#
# apply/destroy without --saved make a fresh plan, show it and ask you to type the environment name (or take
# --auto-approve). With --saved they apply the plan a previous `plan` saved (Jenkins: after its approval step), and
# refuse if that plan was made for the other action. Plan files and summaries go to artifacts/terraform/<env>/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
envs_dir="$root/terraform/environments"

die() { echo "deploy.sh: $*" >&2; exit 1; }
usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 2 ] || usage
env="$1" action="$2"; shift 2
destroy_plan=false saved=false auto_approve=false
for arg in "$@"; do
  case "$arg" in
    --destroy) destroy_plan=true ;;
    --saved) saved=true ;;
    --auto-approve) auto_approve=true ;;
    *) die "unknown option '$arg'" ;;
  esac
done

known_envs="$(cd "$envs_dir" && ls -d -- */ 2>/dev/null | tr -d / | tr '\n' ' ')"
env_dir="$envs_dir/$env"
[ -d "$env_dir" ] || die "unknown environment '$env' (known: ${known_envs:-none})"
[ -f "$env_dir/backend.hcl" ] || die "missing $env_dir/backend.hcl (the environment's S3 backend settings)"
[ -f "$env_dir/terraform.tfvars" ] || die "missing $env_dir/terraform.tfvars"
case "$action" in init|validate|plan|apply|destroy) ;; *) usage ;; esac

command -v terraform >/dev/null 2>&1 ||
  die "terraform not found on PATH: install Terraform >= 1.6 (https://developer.hashicorp.com/terraform/install)"

work="$root/artifacts/terraform/$env"
mkdir -p "$work"
export TF_DATA_DIR="$work/.terraform" TF_INPUT=0
[ -n "${CI:-}${JENKINS_URL:-}" ] && export TF_IN_AUTOMATION=1
plan_file="$work/tfplan"
mode_file="$work/tfplan.mode"
summary_file="$work/plan-summary.txt"
full_file="$work/plan.txt"

tf() { terraform -chdir="$env_dir" "$@"; }

# Every function in the topology needs artifacts/<function>.zip (scripts/package.sh) before Terraform can hash it.
check_artifacts() {
  local topology="$root/topology/topology.json" names missing=()
  [ -f "$topology" ] || die "missing $topology"
  if command -v node >/dev/null 2>&1; then
    names="$(node -e 'const t=require(process.argv[1]); for (const p of Object.values(t.pipelines)) for (const f of Object.keys(p.functions || {})) console.log(f)' "$topology")"
  elif command -v python3 >/dev/null 2>&1; then
    names="$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print("\n".join(f for p in t["pipelines"].values() for f in p.get("functions", {})))' "$topology")"
  else
    die "node or python3 is needed to read topology/topology.json"
  fi
  for name in $names; do
    [ -f "$root/artifacts/$name.zip" ] || missing+=("artifacts/$name.zip")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing function packages: ${missing[*]} - run scripts/package.sh first"
}

tf_init() {
  tf init -input=false -reconfigure -backend-config=backend.hcl
}

make_plan() { # mode: apply|destroy
  local mode="$1" exit_code=0
  check_artifacts
  tf_init
  rm -f "$plan_file" "$mode_file"
  local args=(plan -input=false -var-file=terraform.tfvars -out="$plan_file" -detailed-exitcode)
  [ "$mode" = destroy ] && args+=(-destroy)
  tf "${args[@]}" || exit_code=$?
  # -detailed-exitcode: 0 no changes, 2 changes, 1 error.
  [ "$exit_code" -eq 0 ] || [ "$exit_code" -eq 2 ] || die "terraform plan failed"
  echo "$mode" >"$mode_file"
  tf show -no-color "$plan_file" >"$full_file"
  {
    echo "Environment: $env ($mode plan)"
    grep -E '^  # .* (will|must) be |^Plan:|^No changes\.|^Changes to Outputs' "$full_file" || true
  } >"$summary_file"
  echo "==> plan saved: $plan_file"
  cat "$summary_file"
}

apply_saved() { # mode: apply|destroy
  local mode="$1"
  local hint="plan"
  [ "$mode" = destroy ] && hint="plan --destroy"
  [ -f "$plan_file" ] && [ -f "$mode_file" ] || die "no saved plan in $work: run 'scripts/deploy.sh $env $hint' first"
  local saved_mode
  saved_mode="$(cat "$mode_file")"
  [ "$saved_mode" = "$mode" ] || die "the saved plan is a '$saved_mode' plan, not '$mode': plan again"
  # The saved plan embeds the backend config, but the working directory must be initialised for its providers.
  [ -d "$TF_DATA_DIR" ] || tf_init
  tf apply -input=false "$plan_file"
  # A plan can be applied once; keep the summary, drop the plan so it cannot be re-applied stale.
  rm -f "$plan_file" "$mode_file"
}

confirm() {
  $auto_approve && return 0
  [ -t 0 ] || die "not a terminal: pass --auto-approve, or plan and then apply with --saved"
  local answer
  read -r -p "Type '$env' to $1 this plan: " answer
  [ "$answer" = "$env" ] || die "not confirmed; nothing changed"
}

case "$action" in
  init)
    tf_init
    ;;
  validate)
    terraform fmt -check -recursive -diff "$root/terraform" || die "terraform fmt found unformatted files (run: terraform fmt -recursive terraform)"
    tf_init
    tf validate -no-color
    ;;
  plan)
    if $destroy_plan; then make_plan destroy; else make_plan apply; fi
    ;;
  apply|destroy)
    if $saved; then
      apply_saved "$action"
    else
      make_plan "$action"
      confirm "$action"
      apply_saved "$action"
    fi
    ;;
esac
