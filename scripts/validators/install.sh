#!/usr/bin/env bash
# Builds the pinned upstream manifest validators (istioctl, kubectl-validate) from their wrapper Go
# modules (./istioctl, ./kubectl-validate: committed go.mod + go.sum) into a per-version cache:
#   ${VALIDATORS_CACHE:-$HOME/.cache/cdk8s-seldon-istio/validators}/<tool>-<version>/<tool>
# A cached binary is reused when its stamp (hash of the wrapper go.mod/go.sum, the Go version and
# the build flags) matches; otherwise it is rebuilt. Versions: versions.sh; background: README.md.
#
# Environment:
#   VALIDATORS_CACHE         cache root (see above)
#   VALIDATORS_GO_PARALLEL   `go build -p` (default 2: CI machines have 2 cores)
#   VALIDATORS_FORCE=1       rebuild even if cached
# Needs: go >= 1.25.9 (the go directive of istio.io/istio's go.mod) and the Go module proxy (or a
# module cache that already holds the modules); no C compiler (CGO_ENABLED=0), no git.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "install.sh: 'go' is not on PATH; a Go toolchain is needed to build the validators" >&2
  exit 1
fi

parallel="${VALIDATORS_GO_PARALLEL:-2}"
export CGO_ENABLED=0
go_version="$(go env GOVERSION)"

mkdir -p "$VALIDATORS_CACHE"
echo "validators: cache $VALIDATORS_CACHE ($go_version, -p $parallel, GOMODCACHE $(go env GOMODCACHE))"

# build TOOL WRAPPER_DIR PACKAGE DIR LDFLAGS
build() {
  local tool="$1" wrapper="$2" package="$3" dir="$4" ldflags="$5"
  local bin="$dir/$tool"
  local flags=(-mod=readonly -buildvcs=false -trimpath -p "$parallel" "-ldflags=$ldflags")
  local stamp
  stamp="$(cat "$wrapper/go.mod" "$wrapper/go.sum" <(echo "$go_version CGO_ENABLED=0 ${flags[*]} $package") |
    sha256sum | cut -d' ' -f1)"
  if [[ "${VALIDATORS_FORCE:-0}" != 1 && -x "$bin" && -f "$dir/stamp" && "$(cat "$dir/stamp")" == "$stamp" ]]; then
    echo "validators: $tool: cached at $bin, not rebuilt"
    return 0
  fi
  local tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  echo "validators: $tool: building $package in $wrapper"
  local start=$SECONDS
  if ! (cd "$wrapper" && go build "${flags[@]}" -o "$tmp/$tool" "$package"); then
    rm -rf "$tmp"
    echo "validators: $tool: build FAILED after $((SECONDS - start))s" >&2
    return 1
  fi
  echo "$stamp" >"$tmp/stamp"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  echo "validators: $tool: built in $((SECONDS - start))s -> $bin ($(du -sh "$bin" | cut -f1))"
}

total_start=$SECONDS

build istioctl "$here/istioctl" "$ISTIO_PACKAGE" "$ISTIOCTL_DIR" \
  "-s -w -X istio.io/istio/pkg/version.buildVersion=$ISTIO_VERSION_LABEL -X istio.io/istio/pkg/version.buildGitRevision=$ISTIO_GIT_REVISION -X istio.io/istio/pkg/version.buildStatus=Clean"
build kubectl-validate "$here/kubectl-validate" "$KUBECTL_VALIDATE_PACKAGE" "$KUBECTL_VALIDATE_DIR" "-s -w"

echo "validators: ready in $((SECONDS - total_start))s"
# What was built, from the binaries' embedded build info (modules and replacements).
go version -m "$ISTIOCTL_BIN" | awk -v m="$ISTIO_MODULE" '
  $1 == "mod" && $2 == m { printf "validators: istioctl: %s %s", $2, $3 }
  $1 == "dep" && ($2 == "istio.io/api" || $2 == "istio.io/client-go") { dep = $2 }
  $1 == "=>" && dep != "" { printf ", %s => %s", dep, $3; dep = "" }
  END { print "" }'
echo "validators: istioctl version --remote=false: $("$ISTIOCTL_BIN" version --remote=false 2>&1 | tr '\n' ' ')"
# kubectl-validate has no version command (its --version is the Kubernetes version to validate
# against); its version is the module version recorded in the binary.
echo "validators: kubectl-validate: $(go version -m "$KUBECTL_VALIDATE_BIN" | awk '$1 == "mod" { print $2, $3 }')"
