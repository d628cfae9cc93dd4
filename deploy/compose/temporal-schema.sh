#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's databases and brings their schemas up to date.
set -eu
for db in temporal temporal_visibility; do
  case "$db" in temporal) dir=temporal ;; *) dir=visibility ;; esac
  sql() { temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --db "$db" "$@"; }
  sql create || true  # already there on later starts
  sql setup-schema -v 0.0
  sql update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
