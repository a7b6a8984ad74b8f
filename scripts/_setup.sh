# Shared by scripts/serve and scripts/test: find Python 3.12+ and keep .venv installed.
# Sourced, not run.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
      /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    [ -n "$candidate" ] || continue
    # A pyenv shim exists even when its version is not selected: ask the interpreter itself.
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  echo "Python 3.12 or newer is needed (Django 6). Install it, or set PYTHON=/path/to/python3.12." >&2
  return 1
}

# ensure_venv REQUIREMENTS_FILE: create .venv with Python 3.12+ and install the file, skipping
# the install when nothing changed since the last one.
ensure_venv() {
  local requirements=$1 python stamp wanted
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    python=$(find_python)
    echo "Creating .venv with $python"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  stamp=".venv/.installed-$(basename "$requirements")"
  wanted=$(cat requirements*.txt | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing $requirements into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" > "$stamp"
  fi
}
