# Two commands matter on a fresh machine (see README.md):
#   make run    the whole system locally, on DynamoDB Local and an SQS emulator
#   make test   every test, unit and integration, against the same emulators
#
# `sam build` calls the build-<LogicalId> targets below (BuildMethod: makefile).

GO        ?= go
GOFLAGS_LAMBDA := -tags lambda.norpc -trimpath -ldflags='-s -w -buildid='
BIN       := .build
PORT      ?= 8080

# Each function's template logical id and its folder under functions/.
LAMBDAS := ApiFunction=api RouteFunction=route SweepFunction=sweep NotifyFunction=notify \
	StaffFunction=staff WebFunction=web MiniProgramFunction=miniprogram \
	SmsInboundFunction=smsin SmsEumFunction=smseum HotlineFunction=hotline OutboundFunction=outbound
FUNCTIONS := $(foreach l,$(LAMBDAS),$(word 2,$(subst =, ,$(l))))
dir_of = $(word 2,$(subst =, ,$(filter $(1)=%,$(LAMBDAS))))
LAMBDA_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA)

.PHONY: all deps e2e-deps test-e2e run test bench build vet fmt clean FORCE

all: vet test

## deps: install the local emulators (idempotent; npm and the Go proxy only)
deps:
	@bash infra/emulators/install.sh

## e2e-deps: Chromium (apt, as root, if missing) and playwright-core (npm) for the browser test
e2e-deps:
	@bash infra/e2e/install.sh

## run: start emulators, create tables and queues from template.yaml, serve the API on :$(PORT)
run: deps
	@PORT=$(PORT) $(GO) run ./infra/intakectl run

## test: every test, against one emulator pair started and stopped by this run
test: deps e2e-deps
	@$(GO) vet ./...
	@$(GO) run ./infra/emulators/cmd/withemulators -- $(GO) test -count=1 -timeout 20m ./...

## test-e2e: only the headless-Chromium test of the H5 page
test-e2e: deps e2e-deps
	@$(GO) run ./infra/emulators/cmd/withemulators -- $(GO) test -count=1 -v -run TestH5 ./infra/e2e

## bench: benchmarks, each reporting ratios against a baseline measured in the same run
# One package at a time (-p 1): a benchmark of one core must have the machine
# to itself, and the sweep benchmark keeps DynamoDB Local busy for minutes.
bench: deps
	@$(GO) run ./infra/emulators/cmd/withemulators -- $(GO) test -p 1 -run '^$$' -bench . -benchtime 1x -count 1 -timeout 30m ./...

## build: the arm64 bootstrap of every function, as Lambda runs it
build: $(addprefix $(BIN)/,$(addsuffix /bootstrap,$(FUNCTIONS)))
	@ls -l $(BIN)/*/bootstrap

$(BIN)/%/bootstrap: FORCE
	@mkdir -p $(dir $@)
	$(LAMBDA_BUILD) -o $@ ./functions/$*

FORCE:

# SAM builds each function with `make build-<LogicalId>` (BuildMethod:
# makefile) and sets ARTIFACTS_DIR.
build-%Function:
	@test -n "$(call dir_of,$*Function)" || { echo "no functions/ folder for $*Function in LAMBDAS" >&2; exit 1; }
	$(LAMBDA_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(call dir_of,$*Function)

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf $(BIN)
