#!/usr/bin/env bash
# install.sh installs what the browser end-to-end test (infra/e2e) needs:
#
#   - Debian's chromium package (/usr/bin/chromium), through apt, when it is
#     missing, plus a small CJK font so that the Chinese page renders in
#     screenshots (fonts-wqy-microhei) when no Chinese font is installed;
#   - playwright-core, pinned, from the npm registry, into a cache directory,
#     $INTAKE_E2E_CACHE or by default <repo>/.cache/e2e (git-ignored).
#
# playwright-core never downloads a browser: the test drives Debian's
# Chromium through executablePath, so it works on a machine whose only
# network is the npm registry and Debian's apt repositories.
#
# apt needs root; run the script as root (CI does). It is idempotent, prints
# nothing on success, and serialises concurrent runs with flock. When all is
# installed it writes the stamp file .installed, which the test checks.
set -euo pipefail

readonly PW_PKG="playwright-core"
readonly PW_VERSION="1.65.1"
readonly CHROMIUM="/usr/bin/chromium"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${INTAKE_E2E_CACHE:-$repo/.cache/e2e}"

die() {
	printf 'infra/e2e/install.sh: %s\n' "$*" >&2
	exit 1
}

# run_logged runs a command with its output in a log file, and prints the log
# only if the command fails.
run_logged() {
	local log
	log="$(mktemp)"
	if ! "$@" >"$log" 2>&1; then
		printf 'infra/e2e/install.sh: failed: %s\n' "$*" >&2
		cat "$log" >&2
		rm -f "$log"
		exit 1
	fi
	rm -f "$log"
}

apt_updated=""
# apt_install installs Debian packages, running apt-get update once first.
apt_install() {
	if ((EUID != 0)); then
		die "installing $* needs root: run this script as root, or apt-get install -y $* yourself"
	fi
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* with your system's package manager"
	if [[ -z "$apt_updated" ]]; then
		run_logged apt-get update -qq
		apt_updated=1
	fi
	run_logged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

install_browser() {
	local font=""
	# Without a CJK font every Chinese character is a box in a screenshot;
	# the test passes all the same, so the font is only a must with root.
	if ! command -v fc-list >/dev/null 2>&1 || [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]; then
		font=fonts-wqy-microhei
	fi
	if [[ ! -x "$CHROMIUM" ]]; then
		apt_install chromium ${font:+"$font"}
		[[ -x "$CHROMIUM" ]] || die "$CHROMIUM is still missing after apt-get install chromium"
	elif [[ -n "$font" ]]; then
		if ((EUID == 0)); then
			apt_install "$font"
		else
			printf 'infra/e2e/install.sh: note: no Chinese font; screenshots will show boxes (apt-get install %s)\n' "$font" >&2
		fi
	fi
}

# npm_version prints the installed version of npm package $1 in the cache, or
# nothing.
npm_version() {
	local pj="$cache/node_modules/$1/package.json"
	[[ -f "$pj" ]] || return 0
	node -p "require(process.argv[1]).version" "$pj" 2>/dev/null || true
}

install_npm() {
	command -v node >/dev/null 2>&1 || die "node not found; Node.js >= 20 is needed: apt-get install nodejs npm"
	command -v npm >/dev/null 2>&1 || die "npm not found: apt-get install npm"
	[[ "$(npm_version "$PW_PKG")" == "$PW_VERSION" ]] && return 0
	rm -f "$cache/.installed"
	# A package.json of our own keeps npm from walking up to the repository's.
	if [[ ! -f "$cache/package.json" ]]; then
		printf '{\n  "name": "intake-e2e",\n  "private": true\n}\n' >"$cache/package.json"
	fi
	run_logged env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --save-exact \
		--prefix "$cache" "$PW_PKG@$PW_VERSION"
	[[ "$(npm_version "$PW_PKG")" == "$PW_VERSION" ]] ||
		die "$PW_PKG@$PW_VERSION is not in $cache/node_modules after npm install"
}

main() {
	mkdir -p "$cache"
	cache="$(cd "$cache" && pwd)"
	[[ -f "$cache/.gitignore" ]] || printf '*\n' >"$cache/.gitignore"

	exec 9>"$cache/.lock"
	flock 9

	install_browser
	install_npm
	printf '%s@%s %s\n' "$PW_PKG" "$PW_VERSION" "$("$CHROMIUM" --version 2>/dev/null || echo chromium)" >"$cache/.installed"
}

main "$@"
