#!/usr/bin/env bash
# Builds Ember (skipping tests) and runs a main class of ember-examples with the JVM flags Spark
# needs on Java 17 (the add-opens list is read from the parent pom.xml, its single source).
# Usage: examples/run-class.sh <main class> [args...]   Env: JAVA_OPTS, EMBER_SKIP_BUILD=1
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -z "${EMBER_SKIP_BUILD:-}" ]; then
  mvn -q -B -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
CP="$ROOT/examples/target/classes:$(cat "$ROOT/examples/target/classpath.txt")"
OPENS="$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$ROOT/pom.xml")"
# Spark's INFO logging off, Ember's progress on (examples/conf/log4j2.properties), unless JAVA_OPTS picks a config.
LOGCONF="-Dlog4j2.configurationFile=$ROOT/examples/conf/log4j2.properties"
case "${JAVA_OPTS:-}" in *log4j2.configurationFile*) LOGCONF="" ;; esac
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} $LOGCONF $OPENS -cp "$CP" "$@"
