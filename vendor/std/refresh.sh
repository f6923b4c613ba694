#!/usr/bin/env bash
# Refreshes the vendored @std/assert (and the @std/internal it imports) from a checkout of the
# denoland/std repository, unmodified: the sources, their deno.json and the MIT license.
#
#   bash vendor/std/refresh.sh /path/to/denoland/std [commit]
#
# The commit defaults to the one of "chore: release 2026.02.20" (@std/assert 1.0.19,
# @std/internal 1.0.12). Where JSR is reachable, drop vendor/ and map "@std/assert" to
# "jsr:@std/assert@1.0.19" in deno.json instead (see README.md).
set -euo pipefail
src="${1:?usage: refresh.sh /path/to/denoland/std [commit]}"
commit="${2:-422179564246bf920ba23342e839c1ee81d2ab58}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for pkg in assert internal; do
  rm -rf "${here:?}/$pkg"
  mkdir -p "$here/$pkg"
  git -C "$src" ls-tree --name-only "$commit" "$pkg/" | while read -r f; do
    case "$f" in
      *_test.ts | *_bench.ts) ;;
      *.ts | */deno.json) git -C "$src" show "$commit:$f" >"$here/$f" ;;
    esac
  done
done
git -C "$src" show "$commit:LICENSE" >"$here/LICENSE"
echo "$commit" >"$here/COMMIT"
echo "vendored @std/assert and @std/internal from $commit into $here"
