#!/bin/sh
# Reproduces the vendored ECharts in this folder from the npm registry:
# dist/echarts.min.js, LICENSE and NOTICE of the echarts package, pinned
# to one version and checked against the sha256 recorded here. Do not edit
# the vendored files; change VERSION and the sums, then run this script.
#
# Usage: sh templates/echarts/fetch.sh   (needs npm, tar, sha256sum)
set -eu

VERSION=5.6.0
SHA256_JS=bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1
SHA256_LICENSE=634293835b43a6dd2094fa39182a3d9a6b9ca43b7fdb9ac354e8037af2a3093a
SHA256_NOTICE=fa99ac3af859d0e13166906dc53a73ad34a08898da7e8ae83407275496e9e30c

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm pack --silent "echarts@$VERSION" >/dev/null
tar -xzf "echarts-$VERSION.tgz" package/dist/echarts.min.js package/LICENSE package/NOTICE

check() {
	got=$(sha256sum "$1" | cut -d' ' -f1)
	if [ "$got" != "$2" ]; then
		echo "fetch.sh: $1: sha256 $got, want $2" >&2
		exit 1
	fi
}
check package/dist/echarts.min.js "$SHA256_JS"
check package/LICENSE "$SHA256_LICENSE"
check package/NOTICE "$SHA256_NOTICE"

cp package/dist/echarts.min.js package/LICENSE package/NOTICE "$here/"
echo "echarts $VERSION vendored into $here"
