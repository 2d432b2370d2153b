#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running service: installs the system
# packages and the models (from Debian's and npm's registries only), builds in Release,
# then starts examphoto on its embedded defaults: SQLite under ./data, 127.0.0.1:8080, the
# clearly marked demo roster, SMS codes printed to this log. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-models.sh
bash scripts/build.sh
exec ./build/src/app/examphoto serve --demo
