#!/usr/bin/env bash
# Validates Kubernetes manifests with the real upstream tools built by install.sh:
#   1. istioctl validate -f FILE                      (each file; Istio kinds; warnings fail)
#   2. istioctl analyze --use-kube=false -A FILE...   (all files in ONE snapshot, so cross-resource
#                                                      analyzers (e.g. IST0101 missing subset or
#                                                      gateway) see every object; warnings fail)
#   3. kubectl-validate --local-crds <crds> --version 1.27 FILE...
#                                                     (CRD kinds against imports/, built-in kinds
#                                                      against the Kubernetes 1.27 schemas)
# All offline (see lib.sh). Exits non-zero if any tool reports an error or a warning.
#
# Usage: scripts/validators/validate.sh <file-or-dir>...   (directories: *.yaml/*.yml below them)
# Analyzer suppressions: analyze-suppressions.txt (one CODE=RESOURCE per line, with its reason).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALIDATORS_REPO="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=lib.sh
source "$here/lib.sh"

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <file-or-dir>..." >&2
  exit 2
fi

files=()
for arg in "$@"; do
  if [[ -d "$arg" ]]; then
    while IFS= read -r f; do files+=("$f"); done < <(find "$arg" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort)
  elif [[ -f "$arg" ]]; then
    files+=("$arg")
  else
    echo "validate.sh: no such file or directory: $arg" >&2
    exit 2
  fi
done
if [[ ${#files[@]} -eq 0 ]]; then
  echo "validate.sh: no .yaml/.yml files in: $*" >&2
  exit 2
fi

validators_init

suppress=()
while IFS= read -r line; do
  line="${line%%#*}"
  line="$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
  [[ -n "$line" ]] && suppress+=(--suppress "$line")
done <"$here/analyze-suppressions.txt"

indent() { sed 's/^/        /'; }
failed_tools=()

echo "== istioctl validate ($ISTIO_VERSION_LABEL, $ISTIO_MODULE $ISTIO_MODULE_VERSION, istio.io/api $ISTIO_API_VERSION)"
bad=0
for f in "${files[@]}"; do
  run_istioctl_validate "$f"
  if [[ $RUN_REFUSED -eq 0 ]]; then
    echo "  OK    $f"
  else
    echo "  FAIL  $f"
    printf '%s\n' "$RUN_OUT" | indent
    bad=$((bad + 1))
  fi
done
[[ $bad -eq 0 ]] || failed_tools+=("istioctl validate: $bad file(s)")

echo "== istioctl analyze --use-kube=false --all-namespaces (${#files[@]} files in one snapshot, $((${#suppress[@]} / 2)) suppression(s))"
run_istioctl_analyze "${suppress[@]}" "${files[@]}"
if [[ $RUN_REFUSED -eq 0 ]]; then
  # Info-level messages (if any) are shown but do not fail; the success banner is not repeated.
  printf '%s\n' "$RUN_OUT" | grep -v -e '^$' -e 'No validation issues found' -e '^  - ' | indent || true
  echo "  OK    all ${#files[@]} files"
else
  echo "  FAIL"
  printf '%s\n' "$RUN_OUT" | grep -v '^$' | indent
  failed_tools+=("istioctl analyze")
fi

echo "== kubectl-validate $KUBECTL_VALIDATE_VERSION --version $KUBECTL_VALIDATE_K8S_VERSION --local-crds $(IFS=,; echo "${VALIDATORS_CRD_DIRS[*]}")"
run_kubectl_validate "${files[@]}"
# Its human output is "<file>...OK" or "<file>...ERROR" followed by the error lines.
printf '%s\n' "$RUN_OUT" | awk '
  /^$/ { next }
  /\.\.\.OK$/ { sub(/\.\.\.OK$/, ""); print "  OK    " $0; next }
  /\.\.\.ERROR$/ { sub(/\.\.\.ERROR$/, ""); print "  FAIL  " $0; next }
  { print "        " $0 }'
if [[ $RUN_REFUSED -ne 0 ]]; then
  failed_tools+=("kubectl-validate")
fi

if [[ ${#failed_tools[@]} -eq 0 ]]; then
  echo "validators: OK: ${#files[@]} file(s) passed istioctl validate, istioctl analyze and kubectl-validate"
else
  echo "validators: FAILED: $(printf '%s; ' "${failed_tools[@]}")" >&2
  exit 1
fi
