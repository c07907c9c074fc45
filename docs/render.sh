#!/usr/bin/env bash
# Renders docs/diagrams/*.dot to SVG and PNG, and docs/schema.png (the system's flowchart), with
# Debian's graphviz (installed if missing).
# Usage: docs/render.sh        Run again after editing a .dot file; commit the renders.
set -euo pipefail
cd "$(dirname "$0")/diagrams"
if ! command -v dot >/dev/null; then
  echo "render.sh: installing graphviz" >&2
  apt-get update -qq && apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null
fi
started=$(date +%s.%N)
for source in *.dot; do
  name=${source%.dot}
  dot -Tsvg "$source" -o "$name.svg"
  dot -Tpng -Gdpi=110 "$source" -o "$name.png"
  echo "rendered $name.svg and $name.png"
done
# The seed's docs/schema.png: the flowchart of the whole system, the path of a reading.
dot -Tpng -Gdpi=110 reading-path.dot -o ../schema.png
echo "rendered ../schema.png"
echo "render.sh: done in $(echo "$(date +%s.%N) - $started" | bc) s"
