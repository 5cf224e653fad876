#!/usr/bin/env bash
# The whole test suite: type check, lint, then every test, with the services the tests need.
# Services this script starts (on loopback) are stopped again when it exits; services that were
# already running are left alone.
set -uo pipefail
cd "$(dirname "$0")/.."

started=()
stop_started() {
  for service in "${started[@]}"; do
    case "$service" in
      postgresql) pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main stop >/dev/null 2>&1 ;;
      mariadb) mysqladmin -h 127.0.0.1 -uroot shutdown >/dev/null 2>&1 ;;
    esac
  done
}
trap stop_started EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq >/dev/null && apt_updated=1; } || return 1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Headless Chromium for the browser tests (UI, browser SDK, OIDC login).
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing chromium (Debian) for the browser tests"
  apt_install chromium || echo "test.sh: could not install chromium; the browser test will say so"
fi

# git (for `git http-backend`, the real remote of the git storage tests).
if [ ! -x /usr/lib/git-core/git-http-backend ]; then
  echo "test.sh: installing git (Debian) for the git storage tests"
  apt_install git || echo "test.sh: could not install git; the git storage tests will fail"
fi

# docker-registry (the CNCF distribution registry) and skopeo, for the OCI storage tests.
if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null; then
  echo "test.sh: installing docker-registry and skopeo (Debian) for the OCI tests"
  apt_install docker-registry skopeo || echo "test.sh: could not install docker-registry/skopeo; the OCI tests will fail"
fi

# openssl makes the throwaway certificates of the TLS tests and the Kubernetes test double.
if ! command -v openssl >/dev/null; then
  echo "test.sh: installing openssl (Debian) for the TLS and Kubernetes tests"
  apt_install openssl || echo "test.sh: could not install openssl; the TLS and Kubernetes tests will fail"
fi

# haproxy, the load balancer in front of the replicas in the HA tests.
if [ ! -x /usr/sbin/haproxy ]; then
  echo "test.sh: installing haproxy (Debian) for the HA tests"
  apt_install haproxy || echo "test.sh: could not install haproxy; the HA tests will say so"
fi

# PostgreSQL on 127.0.0.1:5432 with trust auth for local connections.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "test.sh: installing postgresql (Debian)"
    apt_install postgresql postgresql-client || true
  fi
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | head -1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start && started+=(postgresql)
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi

# MariaDB on 127.0.0.1:3306, root without a password.
if ! mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    echo "test.sh: installing mariadb-server (Debian)"
    apt_install mariadb-server mariadb-client || true
  fi
  if [ -x /usr/sbin/mariadbd ]; then
    as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1 \
      && started+=(mariadb)
    for _ in $(seq 1 60); do mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
fi

npm run check || exit 1
npm run test:unit
