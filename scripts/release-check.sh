#!/usr/bin/env bash
# What the registries will check when the release workflow publishes, checked here on the
# artifacts `npx projen package-all` wrote to dist/ (run it, or `npx projen smoke`, first).
# Nothing is published and nothing is signed: every step is a dry run or a read.
#
#   npm    `npm publish --dry-run` of the tarball; package.json has repository, license, keywords, engines
#   PyPI   `twine check` of the wheel and the sdist (twine from PyPI, in a throwaway venv)
#   Maven  the POM has what Central requires (name, description, url, licenses, developers, scm),
#          and the sources and javadoc jars are there
#   Go     go.mod names the published module path, and `go vet ./...` passes on the generated
#          tree (in a copy, with our locally built cdk8s Go bindings put in by `replace`)
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
ok() { echo "release-check: $1: ok${2:+ ($2)}"; }
fail() { echo "release-check: $1: FAILED: $2" >&2; failures=$((failures + 1)); }

# ---------------------------------------------------------------- npm
tarballs=(dist/js/*.tgz)
if [[ ${#tarballs[@]} -ne 1 || ! -f "${tarballs[0]}" ]]; then
  fail npm "expected one tarball in dist/js, found: ${tarballs[*]}"
else
  meta_problems=$(node -e '
    const p = require("./package.json");
    const need = ["cdk8s", "istio", "seldon", "mlops", "canary"];
    const problems = [];
    if (!p.repository || !p.repository.url) problems.push("no repository.url");
    if (!p.license) problems.push("no license");
    if (!p.engines || !p.engines.node) problems.push("no engines.node");
    for (const k of need) if (!(p.keywords || []).includes(k)) problems.push(`keyword ${k} missing`);
    if (p.name !== "cdk8s-seldon-istio") problems.push(`name ${p.name}`);
    process.stdout.write(problems.join("; "));')
  [[ -z "$meta_problems" ]] || fail npm "package.json: $meta_problems"
  if out=$(npm publish --dry-run --access public --ignore-scripts "${tarballs[0]}" 2>&1); then
    ok npm "npm publish --dry-run: $(grep -Eo 'total files: *[0-9]+' <<<"$out" | head -1), $(du -h "${tarballs[0]}" | cut -f1)"
  else
    fail npm "npm publish --dry-run: $out"
  fi
fi

# ---------------------------------------------------------------- PyPI
dists=(dist/python/*.whl dist/python/*.tar.gz)
if [[ ${#dists[@]} -ne 2 || ! -f "${dists[0]}" || ! -f "${dists[1]}" ]]; then
  fail pypi "expected a wheel and an sdist in dist/python, found: ${dists[*]}"
else
  venv=$(mktemp -d)/venv
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'twine>=6,<7'
  if out=$("$venv/bin/twine" check --strict "${dists[@]}" 2>&1); then
    ok pypi "twine check --strict: $(grep -c PASSED <<<"$out") passed"
  else
    fail pypi "twine check: $out"
  fi
  rm -rf "$(dirname "$venv")"
fi

# ---------------------------------------------------------------- Maven Central
artifact_dir=$(ls -d dist/java/io/github/cdk8sseldonistio/cdk8s-seldon-istio/*/ 2>/dev/null | head -1)
if [[ -z "$artifact_dir" ]]; then
  fail maven "no artifact under dist/java/io/github/cdk8sseldonistio/cdk8s-seldon-istio/"
else
  version=$(basename "$artifact_dir")
  base="$artifact_dir/cdk8s-seldon-istio-$version"
  missing=()
  for file in "$base.pom" "$base.jar" "$base-sources.jar" "$base-javadoc.jar"; do
    [[ -s "$file" ]] || missing+=("$(basename "$file")")
  done
  # Central's requirements: https://central.sonatype.org/publish/requirements/
  for element in '<name>' '<description>' '<url>' '<licenses>' '<license>' '<developers>' '<developer>' '<scm>' '<connection>' '<groupId>' '<artifactId>' '<version>'; do
    grep -q "$element" "$base.pom" 2>/dev/null || missing+=("POM $element")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    ok maven "$version: POM name, description, url, licenses, developers, scm; jar, sources and javadoc jars"
  else
    fail maven "missing: ${missing[*]}"
  fi
fi

# ---------------------------------------------------------------- Go
module=github.com/cdk8s-seldon-istio/cdk8s-seldon-istio-go/cdk8sseldonistio
if [[ ! -f dist/go/cdk8sseldonistio/go.mod ]]; then
  fail go "no dist/go/cdk8sseldonistio/go.mod"
elif [[ "$(awk '/^module /{print $2}' dist/go/cdk8sseldonistio/go.mod)" != "$module" ]]; then
  fail go "go.mod names $(awk '/^module /{print $2}' dist/go/cdk8sseldonistio/go.mod), not $module"
else
  copy=$(mktemp -d)/cdk8sseldonistio
  cp -r dist/go/cdk8sseldonistio "$copy"
  # cdk8s and cdk8s-plus-27 at our versions are not on the Go proxy: use the bindings built from
  # node_modules (package:deps:go), as the smoke program does. The published go.mod is untouched.
  root=$(pwd)
  (cd "$copy" &&
    go mod edit -replace "github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2=$root/node_modules/cdk8s/dist/go/cdk8s" &&
    go mod edit -replace "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus27/v2=$root/node_modules/cdk8s-plus-27/dist/go/cdk8splus27")
  if out=$(cd "$copy" && GOFLAGS=-mod=mod go vet ./... 2>&1); then
    ok go "module $module, go vet ./..."
  else
    fail go "go vet: $out"
  fi
  rm -rf "$(dirname "$copy")"
fi

if [[ $failures -gt 0 ]]; then
  echo "release-check: $failures target(s) would be refused" >&2
  exit 1
fi
echo "release-check: npm, PyPI, Maven Central and Go: ready to publish"
