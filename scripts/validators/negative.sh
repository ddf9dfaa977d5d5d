#!/usr/bin/env bash
# Negative proof for validate.sh: runs each fixture in negative/*.yaml (a small raw manifest that
# breaks one upstream rule) through the three validators exactly as validate.sh does (same flags,
# same offline environment, same refusal criteria; each fixture analysed on its own) and asserts
# each tool's verdict against the fixture's header:
#   # rule: <what is wrong>
#   # istioctl-validate: refuses "<message substring>"   |   accepts
#   # istioctl-analyze: refuses "<message substring>"    |   accepts
#   # kubectl-validate: refuses "<message substring>"    |   accepts
# "accepts" records a rule the tool does NOT enforce (so our constructs must). Prints a Markdown
# table fixture | tool | expected | refused | message; exits non-zero on any mismatch.
#
# Usage: scripts/validators/negative.sh [fixture.yaml...]   (default: negative/*.yaml)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALIDATORS_REPO="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=lib.sh
source "$here/lib.sh"

validators_init

if [[ $# -gt 0 ]]; then
  fixtures=("$@")
else
  fixtures=("$here"/negative/*.yaml)
fi

tools=(istioctl-validate istioctl-analyze kubectl-validate)
mismatches=()
details=""

# short_message TOOL LINE: the message without the file locators the tools prepend.
short_message() {
  local line="$2"
  case "$1" in
    istioctl-validate) line="$(sed -E 's/^[[:space:]]*\* [A-Za-z]+\/[^:]*: //' <<<"$line")" ;;
    istioctl-analyze) line="$(sed -E 's/ \([A-Za-z]+ [^ ]+ [^)]*:[0-9]+\)//' <<<"$line")" ;;
  esac
  sed -E 's/^[[:space:]]+//; s/\|/\\|/g' <<<"$line"
}

echo "| fixture | tool | expected | refused | message |"
echo "|---|---|---|---|---|"
for fixture in "${fixtures[@]}"; do
  name="$(basename "$fixture" .yaml)"
  rel="${fixture#"$VALIDATORS_REPO"/}"
  for tool in "${tools[@]}"; do
    header="$(grep -m1 "^# $tool: " "$fixture" || true)"
    expect="${header#"# $tool: "}"
    want=""
    case "$expect" in
      accepts) ;;
      refuses\ \"*\") want="${expect#refuses \"}"; want="${want%\"}" ;;
      *)
        echo "| $name | $tool | (header missing or malformed) | | |"
        mismatches+=("$name/$tool: no '# $tool: accepts' or '# $tool: refuses \"...\"' header")
        continue
        ;;
    esac
    case "$tool" in
      istioctl-validate) run_istioctl_validate "$rel" ;;
      istioctl-analyze) run_istioctl_analyze "$rel" ;;
      kubectl-validate) run_kubectl_validate "$rel" ;;
    esac
    ok=1
    message="-"
    if [[ -z "$want" ]]; then
      [[ $RUN_REFUSED -eq 0 ]] || ok=0
      [[ $RUN_REFUSED -eq 0 ]] || message="$(grep -v -e '^$' -e '^Error: validation failed' <<<"$RUN_OUT" | head -1)"
    else
      line="$(grep -F -m1 -- "$want" <<<"$RUN_OUT" || true)"
      if [[ $RUN_REFUSED -eq 1 && -n "$line" ]]; then
        message="$line"
      else
        ok=0
        message="(expected message not found)"
      fi
    fi
    [[ "$message" == "-" || "$message" == "(expected message not found)" ]] || message="$(short_message "$tool" "$message")"
    refused=no
    [[ $RUN_REFUSED -eq 0 ]] || refused=yes
    verdict="${want:+refuse}"
    verdict="${verdict:-accept}"
    if [[ $ok -eq 1 ]]; then
      echo "| $name | $tool | $verdict | $refused | $message |"
    else
      echo "| $name | $tool | $verdict | $refused **MISMATCH** | $message |"
      mismatches+=("$name/$tool")
      details+=$'\n'"--- $rel: $tool (expected: $expect; exit code $RUN_RC)"$'\n'"$RUN_OUT"$'\n'
    fi
  done
done

if [[ ${#mismatches[@]} -ne 0 ]]; then
  printf '%s\n' "$details" >&2
  echo "negative.sh: ${#mismatches[@]} verdict(s) differ from the fixture headers: ${mismatches[*]}" >&2
  exit 1
fi
echo
echo "negative.sh: all ${#fixtures[@]} fixtures x ${#tools[@]} tools gave the expected verdict"
