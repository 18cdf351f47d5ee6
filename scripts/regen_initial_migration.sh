#!/usr/bin/env bash
# Until the first release there is one migration, 0001_initial_schema, regenerated from the models after a change.
# After the first release this script must not be used: every schema change gets its own reviewed migration.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FLASK_APP=app:create_app REHABILITA_INSTANCE_PATH="$tmp" DATABASE_URL="sqlite:///$tmp/empty.db"
rm -f migrations/versions/0001_initial_schema.py
.venv/bin/flask db migrate -m "initial schema" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
generated=$(ls migrations/versions/*_initial_schema.py)
sed -i -e "s/^revision = '.*'/revision = '0001'/" -e "s/^Revision ID: .*/Revision ID: 0001/" -e "/^Create Date: /d" "$generated"
mv "$generated" migrations/versions/0001_initial_schema.py
echo "migrations/versions/0001_initial_schema.py regenerated"
