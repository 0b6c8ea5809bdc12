#!/usr/bin/env bash
# The mechanical reformat of the whole repository with the root prettier config (.prettierrc.json,
# .prettierignore): rerun after merging branches, commit alone as `style: prettier --write (mechanical)`.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --write --log-level warn .
