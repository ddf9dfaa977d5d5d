#!/usr/bin/env bash
# Builds the pinned upstream manifest validators (istioctl, kubectl-validate) from their Go modules
# with `go install`, into a per-version cache directory:
#   ${VALIDATORS_CACHE:-$HOME/.cache/cdk8s-seldon-istio/validators}/<tool>-<version>/<tool>
# A binary that is already there and carries the pinned module version is reused, not rebuilt.
#
# Environment:
#   VALIDATORS_CACHE         cache root (see above)
#   VALIDATORS_GO_PARALLEL   `go build -p` (default 2: the machine has 2 cores)
#   VALIDATORS_FORCE=1       rebuild even if cached
# Needs: go (>= the go directive of istio.io/istio's go.mod, 1.25.9 for the pinned version) and
# the Go module proxy; no C compiler (CGO_ENABLED=0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "install.sh: 'go' is not on PATH; a Go toolchain is needed to build the validators" >&2
  exit 1
fi

parallel="${VALIDATORS_GO_PARALLEL:-2}"
# Keep the machine's own GOFLAGS (e.g. -buildvcs=false) and cap build parallelism.
export GOFLAGS="$(go env GOFLAGS) -p=$parallel"
export CGO_ENABLED=0

mkdir -p "$VALIDATORS_CACHE"
echo "validators: cache $VALIDATORS_CACHE ($(go version), GOFLAGS='$GOFLAGS')"

# is_cached BIN MODULE VERSION: the binary exists, runs, and its embedded build info names
# MODULE at VERSION as the main module.
is_cached() {
  local bin="$1" module="$2" version="$3"
  [[ -x "$bin" ]] || return 1
  go version -m "$bin" 2>/dev/null | awk -v m="$module" -v v="$version" \
    '$1 == "mod" && $2 == m && $3 == v { found = 1 } END { exit !found }'
}

# build TOOL MODULE PACKAGE VERSION DIR [go install flags...]
build() {
  local tool="$1" module="$2" package="$3" version="$4" dir="$5"
  shift 5
  local bin="$dir/$tool"
  if [[ "${VALIDATORS_FORCE:-0}" != 1 ]] && is_cached "$bin" "$module" "$version"; then
    echo "validators: $tool $version: cached at $bin ($(du -sh "$dir" | cut -f1)), not rebuilt"
    return 0
  fi
  local tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  echo "validators: $tool $version: building: GOBIN=$tmp go install $* $package@$version"
  local start=$SECONDS
  if ! GOBIN="$tmp" go install "$@" "$package@$version"; then
    rm -rf "$tmp"
    echo "validators: $tool $version: build FAILED after $((SECONDS - start))s" >&2
    return 1
  fi
  if ! is_cached "$tmp/$tool" "$module" "$version"; then
    echo "validators: $tool $version: built binary does not report $module $version" >&2
    go version -m "$tmp/$tool" >&2 || true
    rm -rf "$tmp"
    return 1
  fi
  rm -rf "$dir"
  mv "$tmp" "$dir"
  echo "validators: $tool $version: built in $((SECONDS - start))s -> $bin ($(du -sh "$dir" | cut -f1))"
}

build istioctl "$ISTIO_MODULE" "$ISTIO_PACKAGE" "$ISTIO_MODULE_VERSION" "$ISTIOCTL_DIR" \
  -trimpath -ldflags="-s -w -X istio.io/istio/pkg/version.buildVersion=$ISTIO_VERSION_LABEL"
echo "validators: istioctl reports version: $("$ISTIOCTL_BIN" version --remote=false 2>&1 | tr '\n' ' ')"

build kubectl-validate "$KUBECTL_VALIDATE_MODULE" "$KUBECTL_VALIDATE_PACKAGE" \
  "$KUBECTL_VALIDATE_VERSION" "$KUBECTL_VALIDATE_DIR" -trimpath -ldflags="-s -w"
# kubectl-validate has no version command (its --version is the Kubernetes version to validate
# against); its version is the module version recorded in the binary.
echo "validators: kubectl-validate reports version: $(go version -m "$KUBECTL_VALIDATE_BIN" | awk '$1 == "mod" { print $2, $3 }')"
