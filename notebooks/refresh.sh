#!/usr/bin/env bash
# Re-execute every notebook from a clean embedded database (restart and run all), in order,
# so the committed outputs are the ones nbval compares against. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
export NEXUS_HOME="$PWD/../.nexus"
unset DATABASE_URL
python -m nexus_kit db stop >/dev/null || true
rm -rf "$NEXUS_HOME"
for nb in [0-9][0-9]_*.ipynb; do
  echo "== $nb"
  jupyter nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.store_widget_state=False --ExecutePreprocessor.timeout=600 "$nb"
  # progress-bar widget state is volatile and large: keep it out of the repository
  python -c 'import sys, nbformat; nb = nbformat.read(sys.argv[1], 4); nb.metadata.pop("widgets", None); nbformat.write(nb, sys.argv[1])' "$nb"
done
