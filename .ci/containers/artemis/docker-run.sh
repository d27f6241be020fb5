#!/bin/bash
# Entry point of the Artemis stand-in: create the broker instance in the working folder at first start (login
# required unless ANONYMOUS_LOGIN=true), then run "bin/artemis <command>" ("run" by default) in the foreground.
set -euo pipefail
if [ ! -f ./etc/broker.xml ]; then
  if [ "${ANONYMOUS_LOGIN,,}" = "true" ]; then login="--allow-anonymous"; else login="--require-login"; fi
  # shellcheck disable=SC2086 # EXTRA_ARGS is a list of options
  /opt/activemq-artemis/bin/artemis create --user "$ARTEMIS_USER" --password "$ARTEMIS_PASSWORD" --silent \
    "$login" ${EXTRA_ARGS:-} .
fi
exec ./bin/artemis "$@"
