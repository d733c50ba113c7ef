#!/usr/bin/env bash
# Run unionhome in production: migrate (which also creates the cache table), collect the
# static files, compile the translations, then hand the process over to gunicorn.
# Settings come from the environment (see .env.example); an .env file beside the project is
# read when present (UNIONHOME_ENV_FILE names another one).
set -euo pipefail
cd "$(dirname "$0")/.."

env_file="${UNIONHOME_ENV_FILE:-.env}"
if [ -f "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
: "${DJANGO_SECRET_KEY:?DJANGO_SECRET_KEY must be set (see .env.example)}"
export DJANGO_SETTINGS_MODULE=unionhome.settings

py="${UNIONHOME_PYTHON:-.venv/bin/python}"
"$py" manage.py migrate --noinput
"$py" manage.py createcachetable
"$py" manage.py collectstatic --noinput --verbosity 0
"$py" manage.py compilemessages --ignore '.venv' --ignore 'node_modules' --verbosity 0
exec "$(dirname "$py")/gunicorn" unionhome.wsgi --config deploy/gunicorn.conf.py "$@"
