# shellcheck shell=bash
# Pinned upstream validators, shared by install.sh and validate.sh (sourced, not executed).
#
# istioctl: Istio tags (e.g. "1.30.3") are not semver-valid Go versions, so the module proxy only
# knows istio.io/istio by pseudo-version. The tag 1.30.3 itself (commit 56df41f63e51,
# v0.0.0-20260713165634-56df41f63e51) is NOT served by the module proxy reachable here
# (403 "This module version is not available"); `go list -m -versions`/`@v/list` offer only
# three pseudo-versions. The pin below is the one on the release-1.30 branch (its go.mod needs
# istio.io/api v1.30.4-0.20260824163423-69099aec2678, i.e. 1.30.3 + patch-release fixes), the
# closest available build to the vendored crds/istio/1.30.3 CRDs.
ISTIO_MODULE=istio.io/istio
ISTIO_PACKAGE=istio.io/istio/istioctl/cmd/istioctl
ISTIO_MODULE_VERSION=v0.0.0-20260826214018-9739e10eb9d7
# What `istioctl version --remote=false` prints (stamped with -ldflags -X at build time).
ISTIO_VERSION_LABEL=1.30-dev+9739e10eb9d7

# kubectl-validate: latest tagged release (later commits exist only as v0.0.5-0.* pseudo-versions).
KUBECTL_VALIDATE_MODULE=sigs.k8s.io/kubectl-validate
KUBECTL_VALIDATE_PACKAGE=sigs.k8s.io/kubectl-validate
KUBECTL_VALIDATE_VERSION=v0.0.4
# Kubernetes version whose built-in schemas kubectl-validate checks native kinds against.
# v0.0.4 embeds schemas for 1.23..1.30; any other value makes it fetch them from GitHub.
KUBECTL_VALIDATE_K8S_VERSION=1.27

VALIDATORS_CACHE="${VALIDATORS_CACHE:-$HOME/.cache/cdk8s-seldon-istio/validators}"
ISTIOCTL_DIR="$VALIDATORS_CACHE/istioctl-$ISTIO_MODULE_VERSION"
ISTIOCTL_BIN="$ISTIOCTL_DIR/istioctl"
KUBECTL_VALIDATE_DIR="$VALIDATORS_CACHE/kubectl-validate-$KUBECTL_VALIDATE_VERSION"
KUBECTL_VALIDATE_BIN="$KUBECTL_VALIDATE_DIR/kubectl-validate"
