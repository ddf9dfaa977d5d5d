# shellcheck shell=bash
# How validate.sh and negative.sh run the validators (sourced, not executed). Each run_* function
# sets RUN_OUT (combined stdout+stderr, colours stripped) and RUN_REFUSED (1 if the tool refused the
# input: non-zero exit, or - for `istioctl validate`, which exits 0 on warnings - any output other
# than its plain "is valid" line), and returns 0.
#
# Offline and hermetic: every tool runs under `env -i` with an empty HOME, KUBECONFIG pointing to a
# file that does not exist, and no KUBERNETES_SERVICE_HOST/PORT, so
#   - kubectl-validate cannot reach a cluster: its schema lookup order is local CRDs, then the
#     kubeconfig cluster (fails: no config, no in-cluster env), then the schemas embedded for
#     --version (1.27 is embedded), and only then api.github.com (never reached for 1.27);
#   - istioctl reads no ~/.istioctl/config.yaml or ISTIOCTL_* defaults; analyze --use-kube=false
#     does not touch a cluster.

# validators_init: sets up the empty HOME (removed on exit) and checks the binaries.
validators_init() {
  VALIDATORS_HOME="$(mktemp -d)"
  trap 'rm -rf "$VALIDATORS_HOME"' EXIT
  local bin
  for bin in "$ISTIOCTL_BIN" "$KUBECTL_VALIDATE_BIN"; do
    if [[ ! -x "$bin" ]]; then
      echo "validators: $bin is missing; run scripts/validators/install.sh first" >&2
      return 1
    fi
  done
}

# offline CMD...: runs CMD with the hermetic, cluster-less environment described above.
offline() {
  env -i PATH="$PATH" HOME="$VALIDATORS_HOME" KUBECONFIG="$VALIDATORS_HOME/no-kubeconfig" TERM=dumb "$@"
}

_capture() {
  local rc=0
  RUN_OUT="$("$@" 2>&1)" || rc=$?
  RUN_OUT="$(printf '%s' "$RUN_OUT" | sed 's/\x1b\[[0-9;]*m//g')"
  RUN_RC=$rc
}

# run_istioctl_validate FILE
run_istioctl_validate() {
  _capture offline "$ISTIOCTL_BIN" validate -f "$1"
  RUN_REFUSED=0
  if [[ $RUN_RC -ne 0 || "$RUN_OUT" != "\"$1\" is valid" ]]; then
    RUN_REFUSED=1
  fi
}

# run_istioctl_analyze [--suppress CODE=RESOURCE]... FILE...
# All files are analysed together (one snapshot), so cross-resource analyzers see every object;
# --all-namespaces, because without it istioctl only reports messages for the "default" and the
# Istio namespace and silently drops those for our objects in other namespaces. Warnings fail.
run_istioctl_analyze() {
  _capture offline "$ISTIOCTL_BIN" analyze --use-kube=false --all-namespaces --color=false \
    --failure-threshold Warning --output-threshold Info "$@"
  RUN_REFUSED=0
  if [[ $RUN_RC -ne 0 ]]; then
    RUN_REFUSED=1
  fi
}

# run_kubectl_validate FILE...  (CRD directories from versions.sh, relative to the repository root)
run_kubectl_validate() {
  local crds
  crds="$(IFS=,; echo "${VALIDATORS_CRD_DIRS[*]/#/$VALIDATORS_REPO/}")"
  _capture offline "$KUBECTL_VALIDATE_BIN" --local-crds "$crds" --version "$KUBECTL_VALIDATE_K8S_VERSION" "$@"
  RUN_REFUSED=0
  if [[ $RUN_RC -ne 0 ]]; then
    RUN_REFUSED=1
  fi
}
