# Shared helpers for scripts/*.sh (sourced, not run).

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# A free TCP port on loopback (asks the kernel; nothing is left listening).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Runs a command as an unprivileged user when we are root (PostgreSQL refuses to run as root).
as_service_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
