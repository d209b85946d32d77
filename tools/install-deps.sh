#!/usr/bin/env bash
# Installs the Debian packages of tools/packages/debian-build.txt and
# debian-runtime.txt that are missing, plus those of debian-<name>.txt for each
# argument (`install-deps.sh fuzz`). Idempotent: with everything present it only
# checks. Not root and packages missing: prints the apt-get command to run and
# exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lists=("$here/packages/debian-build.txt" "$here/packages/debian-runtime.txt")
for extra in "$@"; do lists+=("$here/packages/debian-$extra.txt"); done
wanted=$(grep -hv '^\s*#' "${lists[@]}" | awk 'NF {print $1}' | sort -u)
missing=()
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
# kubectl renders the Kubernetes manifests (kubectl kustomize). Machine images
# often ship a current one; otherwise Debian's kubernetes-client provides it.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
# Likewise Node.js and npm, for the Kubernetes schema check (tests/deploy).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# The npm packages of the schema check, pinned by its package-lock.json;
# reinstalled only when the lock file changed.
npm_packages() {
  local dir="$here/../tests/deploy/schema-check"
  if [[ ! -f "$dir/node_modules/.package-lock.json" ||
        "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "make deps: installing the npm packages of tests/deploy/schema-check"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "make deps: all $(echo $wanted | wc -w) Debian packages present"
  npm_packages
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "make deps: missing Debian packages: ${missing[*]}" >&2
  echo "make deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "make deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or older than a day.
if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "make deps: installed ${#missing[@]} packages"
npm_packages
