#!/usr/bin/env bash
# Smoke test of the jsii packages: the same two charts (a canary in Seldon mode, a header A/B test
# in Istio mode) synthesized by a TypeScript reference program and by programs in Python, Java and
# Go that use the packages in dist/ (built by `npx projen package-all`; `npx projen smoke` does both).
# Fails unless every language's YAML is byte-identical to the TypeScript output. Nothing is
# normalized before the comparison.
#
# Builds nothing but the smoke programs. Output goes to smoke/<language>/dist/.
# Caches are the toolchains' usual ones, so a second run is fast: pip's (~/.cache/pip, or
# PIP_CACHE_DIR), Maven's local repository (~/.m2/repository, or SMOKE_MAVEN_REPO), Go's module
# and build caches (GOMODCACHE, GOCACHE). The Python virtualenv is made afresh on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

m2_repo=${SMOKE_MAVEN_REPO:-$HOME/.m2/repository}
wheels=(dist/python/cdk8s_seldon_istio-*-py3-none-any.whl)
for need in "${wheels[0]}" dist/java/io/github/cdk8sseldonistio/cdk8s-seldon-istio dist/go/cdk8sseldonistio/go.mod \
  node_modules/cdk8s/dist/java node_modules/cdk8s-plus-27/dist/java node_modules/cdk8s/dist/go node_modules/cdk8s-plus-27/dist/go; do
  if [ ! -e "$need" ]; then
    echo "smoke: $need is missing: run \`npx projen package-all\` (after \`npx projen build\`) first" >&2
    exit 1
  fi
done
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "smoke: expected one wheel in dist/python, found: ${wheels[*]}" >&2
  exit 1
fi

declare -A seconds
step() { # step NAME COMMAND...: run COMMAND, record its wall time
  local name=$1 start end
  shift
  echo "== smoke: $name"
  start=$EPOCHREALTIME
  "$@"
  end=$EPOCHREALTIME
  seconds[$name]=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
}

outdir() { # a fresh output folder for one language
  rm -rf "smoke/$1/dist"
  mkdir -p "smoke/$1/dist"
  echo "$root/smoke/$1/dist"
}

run_typescript() {
  node_modules/.bin/ts-node --project test/tsconfig.json smoke/typescript/main.ts "$(outdir typescript)"
}

run_python() {
  local venv=smoke/python/.venv
  rm -rf "$venv"
  python3 -m venv "$venv"
  # Every package is pinned in requirements.txt; --no-deps so that nothing else comes in, and
  # `pip check` so that the pins satisfy every requirement (the wheel's included).
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r smoke/python/requirements.txt "${wheels[0]}"
  "$venv/bin/pip" check --disable-pip-version-check
  "$venv/bin/python" smoke/python/main.py "$(outdir python)"
}

run_java() {
  # Maven never downloads a release it has again: drop the locally built artifacts from the local
  # repository, so that the ones in dist/java and node_modules/*/dist/java are used.
  rm -rf "$m2_repo/io/github/cdk8sseldonistio" "$m2_repo/org/cdk8s/cdk8s/2.70.106" "$m2_repo/org/cdk8s/cdk8s-plus-27/2.9.5"
  mvn --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local="$m2_repo" -f smoke/java/pom.xml \
    compile exec:java -Dexec.args="$(outdir java)"
}

run_go() {
  local out
  out=$(outdir go)
  (cd smoke/go && go run -mod=readonly . "$out")
}

step typescript run_typescript
step python run_python
step java run_java
step go run_go

passed=0
failed=0
reference=(smoke/typescript/dist/*.k8s.yaml)
if [ "${#reference[@]}" -ne 2 ]; then
  echo "smoke: expected 2 files from the TypeScript reference, found: ${reference[*]}" >&2
  exit 1
fi
for lang in python java go; do
  if diff -r smoke/typescript/dist "smoke/$lang/dist"; then
    echo "smoke: $lang: byte-identical to typescript (${reference[*]##*/})"
    passed=$((passed + 1))
  else
    echo "smoke: $lang: differs from typescript (diff above)" >&2
    failed=$((failed + 1))
  fi
done

echo "smoke: seconds: typescript ${seconds[typescript]}, python ${seconds[python]}, java ${seconds[java]}, go ${seconds[go]}"
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
