#!/usr/bin/env bash
# Validates the fuzzing corpus (written by test/conformance/fuzz.test.ts when
# CONFORMANCE_CORPUS_DIR is set): each case is one app of its own, so each case file goes through
# validate.sh on its own, together with external-gateways.yaml (the gateways the cases refer to
# by name, as the cluster would have them). Analysing all cases in one snapshot would report
# conflicts between separate apps (e.g. IST0109 for mesh hosts two cases both use).
#
# Usage: scripts/validators/validate-corpus.sh <corpus-dir>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:?usage: $0 <corpus-dir>}"
shopt -s nullglob
cases=("$dir"/case-*.yaml)
if [[ ${#cases[@]} -eq 0 ]]; then
  echo "validate-corpus.sh: no case-*.yaml in $dir" >&2
  exit 2
fi
failed=()
for c in "${cases[@]}"; do
  if ! out="$("$here/validate.sh" "$c" "$dir/external-gateways.yaml" 2>&1)"; then
    failed+=("$c")
    echo "$out" | grep -v '^  OK' >&2
  fi
done
echo "validate-corpus: ${#cases[@]} case(s), $((${#cases[@]} - ${#failed[@]})) passed istioctl validate, istioctl analyze and kubectl-validate, ${#failed[@]} failed"
[[ ${#failed[@]} -eq 0 ]]
