#!/bin/sh
# Container entry point: run-module <module> <main class> [options]
set -eu
if [ $# -lt 2 ]; then
  echo "usage: <module> <main class> [options]; modules: $(ls /opt/spanlog | tr '\n' ' ')" >&2
  exit 2
fi
module="$1"; main="$2"; shift 2
[ -d "/opt/spanlog/$module" ] || { echo "no module '$module' in this image" >&2; exit 2; }
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "/opt/spanlog/$module/*" "$main" "$@"
