#!/usr/bin/env bash
# storyguard GitHub Action entry point (called by action.yml; runnable locally with the same env).
#
# Reads: INPUT_PATHS (space- or newline-separated, default "."), INPUT_CHANGED_ONLY (true/false),
# INPUT_FAIL_ON (error|warning|info|never), INPUT_FORMAT (log format: github|text|rdjsonl|json),
# INPUT_MODEL (true/false), INPUT_SARIF_FILE, STORYGUARD_BASE_SHA (the PR base; else HEAD~1),
# GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
# Writes the SARIF file, prints the log format, writes a findings table to the step summary,
# sets outputs `findings` and `sarif-file`, and exits 0 / 1 (findings at or above fail-on) / 2 (errors).
set -euo pipefail

paths_input="${INPUT_PATHS:-.}"
changed_only="${INPUT_CHANGED_ONLY:-false}"
fail_on="${INPUT_FAIL_ON:-warning}"
log_format="${INPUT_FORMAT:-github}"
model="${INPUT_MODEL:-false}"
sarif_file="${INPUT_SARIF_FILE:-storyguard.sarif}"
summary_file="${GITHUB_STEP_SUMMARY:-/dev/null}"
output_file="${GITHUB_OUTPUT:-/dev/null}"
python="$(command -v python3 || command -v python)"

cd "${GITHUB_WORKSPACE:-.}"
mkdir -p "$(dirname -- "$sarif_file")"

# Portable to macOS's bash 3.2: no ${var,,}, no mapfile.
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
is_true() { case "$(lower "$1")" in true|yes|1|on) return 0 ;; *) return 1 ;; esac; }

set_outputs() {
  { echo "findings=$1"; echo "sarif-file=$sarif_file"; } >> "$output_file"
}

# Paths: one per line when the input has several lines (paths with spaces), else split on spaces.
paths=()
if [[ "$paths_input" == *$'\n'* ]]; then
  while IFS= read -r line; do [[ -n "${line// }" ]] && paths+=("$line"); done <<< "$paths_input"
else
  read -r -a paths <<< "$paths_input"
fi
[[ ${#paths[@]} -eq 0 ]] && paths=(".")

if is_true "$changed_only"; then
  base="${STORYGUARD_BASE_SHA:-}"
  [[ -z "$base" ]] && base="HEAD~1"
  if ! git rev-parse --verify --quiet "${base}^{commit}" > /dev/null; then
    # A shallow checkout may lack the PR base: fetch just that commit.
    git fetch --quiet --depth=1 origin "$base" 2> /dev/null || true
  fi
  if git rev-parse --verify --quiet "${base}^{commit}" > /dev/null; then
    changed=()
    while IFS= read -r -d '' file; do
      case "$(lower "$file")" in
        *.md|*.markdown|*.txt|*.html|*.htm|*.json|*.jsonl|*.docx) [[ -f "$file" ]] && changed+=("$file") ;;
      esac
    done < <(git diff --name-only -z --diff-filter=ACMR "$base" HEAD -- "${paths[@]}")
    if [[ ${#changed[@]} -eq 0 ]]; then
      echo "storyguard: no changed drafts since ${base}; nothing to check."
      printf '## storyguard\n\nNo changed drafts to check.\n' >> "$summary_file"
      # An empty but valid SARIF file keeps a following upload-sarif step happy.
      printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "storyguard", "informationUri": "%s"}}, "results": []}]}\n' \
        "https://github.com/storyguard/storyguard" > "$sarif_file"
      set_outputs 0
      exit 0
    fi
    paths=("${changed[@]}")
  else
    echo "::warning title=storyguard::base commit ${base} not found (use actions/checkout with fetch-depth: 0); checking all given paths"
  fi
fi

args=(--fail-on "$fail_on")
is_true "$model" || args+=(--no-model)

# 1. SARIF (redacted by default), whose exit status is the step's verdict.
status=0
storyguard check "${args[@]}" --format sarif --output "$sarif_file" -- "${paths[@]}" || status=$?

# 2. The log: annotations by default. Its exit status repeats the first run's, so it is ignored.
if [[ "$log_format" != "sarif" ]]; then
  storyguard check "${args[@]}" --format "$log_format" -- "${paths[@]}" || true
fi

# 3. Findings count, step summary and outputs, read back from the SARIF file (stdlib only).
findings="$("$python" - "$sarif_file" "$summary_file" "$fail_on" "$status" <<'PY'
import json, sys

sarif_path, summary_path, fail_on, status = sys.argv[1:5]
try:
    with open(sarif_path, encoding="utf-8") as handle:
        run = json.load(handle)["runs"][0]
except (OSError, ValueError, KeyError, IndexError):
    print(0)
    sys.exit(0)
rules = run["tool"]["driver"].get("rules", [])
results = run.get("results", [])

def cell(text):
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")

lines = ["## storyguard", ""]
verdict = {"0": "passed", "1": f"failed: findings at or above `{fail_on}`", "2": "failed: some files could not be checked"}
lines.append(f"**{len(results)} finding(s)**, {verdict.get(status, 'failed')}.")
lines.append("")
if results:
    lines += ["| Severity | Rule | File | Line | Message |", "|---|---|---|---|---|"]
    for result in results:
        rule = rules[result["ruleIndex"]] if 0 <= result.get("ruleIndex", -1) < len(rules) else {"id": result["ruleId"]}
        location = result["locations"][0]["physicalLocation"]
        code = f"[{rule['id']}]({rule['helpUri']})" if rule.get("helpUri") else rule["id"]
        name = f" {rule['name']}" if rule.get("name") else ""
        lines.append(
            f"| {cell(result['level'])} | {code}{cell(name)} | {cell(location['artifactLocation']['uri'])} "
            f"| {location.get('region', {}).get('startLine', '')} | {cell(result['message']['text'])} |"
        )
for invocation in run.get("invocations", []):
    for note in invocation.get("toolExecutionNotifications", []):
        if note.get("level") == "error":
            lines.append(f"\n> error: {cell(note['message']['text'])}")
with open(summary_path, "a", encoding="utf-8") as handle:
    handle.write("\n".join(lines) + "\n")
print(len(results))
PY
)"
set_outputs "${findings:-0}"
exit "$status"
