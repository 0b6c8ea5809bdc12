#!/usr/bin/env bash
# The mechanical reformat of the whole repository with the root prettier config (.prettierrc.json,
# .prettierignore): rerun after merging branches, commit alone as `style: prettier --write (mechanical)`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Twice: prettier 3 is not idempotent on a few long chained expressions (a second pass settles them).
npx prettier --write --log-level warn .
npx prettier --write --log-level warn .
