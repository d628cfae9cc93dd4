#!/bin/sh
# First start of the PostgreSQL container only (docker-entrypoint-initdb.d): one role and one
# database per service, plus the role Temporal's schema setup uses to create its own databases.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_pw="$CC_DB_PASSWORD" -v temporal_pw="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_pw';
CREATE ROLE stores LOGIN PASSWORD :'app_pw';
CREATE ROLE inventory LOGIN PASSWORD :'app_pw';
CREATE ROLE orders LOGIN PASSWORD :'app_pw';
CREATE ROLE notifications LOGIN PASSWORD :'app_pw';
CREATE DATABASE stores OWNER stores;
CREATE DATABASE inventory OWNER inventory;
CREATE DATABASE orders OWNER orders;
CREATE DATABASE notifications OWNER notifications;
SQL
