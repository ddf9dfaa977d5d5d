# shellcheck shell=bash
# Pinned upstream validators, shared by install.sh, validate.sh and negative.sh (sourced, not
# executed). Each tool is built from a small wrapper Go module in this directory whose committed
# go.mod + go.sum pin every module of the build (see README.md for why these versions).
#
# istioctl (wrapper module ./istioctl): istio.io/istio at a release-1.30 commit after the 1.30.3
# tag, with istio.io/api and istio.io/client-go replaced by v1.30.3 (the exact commits of the
# 1.30.3 tag's go.mod). The module proxy serves neither the 1.30.3 tag (56df41f63e51) nor the
# istio.io/api / client-go / go-control-plane pseudo-versions that the release-1.30 commits
# require; see istioctl/go.mod.
ISTIO_MODULE=istio.io/istio
ISTIO_PACKAGE=istio.io/istio/istioctl/cmd/istioctl
ISTIO_MODULE_VERSION=v0.0.0-20260826214018-9739e10eb9d7
ISTIO_API_VERSION=v1.30.3
# What `istioctl version --remote=false` prints (stamped with -ldflags -X at build time; upstream's
# Makefile stamps "<VERSION file>-dev" for untagged builds).
ISTIO_VERSION_LABEL=1.30-dev
ISTIO_GIT_REVISION=9739e10eb9d7

# kubectl-validate (wrapper module ./kubectl-validate): latest tag (later commits exist only as
# v0.0.5-0.* pseudo-versions). Same build list as `go install sigs.k8s.io/kubectl-validate@v0.0.4`.
KUBECTL_VALIDATE_MODULE=sigs.k8s.io/kubectl-validate
KUBECTL_VALIDATE_PACKAGE=sigs.k8s.io/kubectl-validate
KUBECTL_VALIDATE_VERSION=v0.0.4
# Kubernetes version whose built-in schemas kubectl-validate checks native kinds against.
# v0.0.4 embeds schemas for 1.23..1.30 (pkg/openapiclient/builtins); for any other value it would
# fetch them from api.github.com, which CI cannot reach.
KUBECTL_VALIDATE_K8S_VERSION=1.27

# Vendored CRDs (repository-relative). kubectl-validate's --local-crds reads the .yaml/.yml/.json
# files directly in each directory (not recursively).
VALIDATORS_CRD_DIRS=(imports/istio/1.30.3 imports/seldon imports/prometheus-operator/0.85.0)

VALIDATORS_CACHE="${VALIDATORS_CACHE:-$HOME/.cache/cdk8s-seldon-istio/validators}"
ISTIOCTL_DIR="$VALIDATORS_CACHE/istioctl-$ISTIO_MODULE_VERSION-api$ISTIO_API_VERSION"
ISTIOCTL_BIN="$ISTIOCTL_DIR/istioctl"
KUBECTL_VALIDATE_DIR="$VALIDATORS_CACHE/kubectl-validate-$KUBECTL_VALIDATE_VERSION"
KUBECTL_VALIDATE_BIN="$KUBECTL_VALIDATE_DIR/kubectl-validate"
