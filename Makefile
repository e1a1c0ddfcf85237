# Two commands matter on a fresh machine (see README.md):
#   make run    the whole system locally, on DynamoDB Local and an SQS emulator
#   make test   every test, unit and integration, against the same emulators
#
# `sam build` calls the build-<LogicalId> targets below (BuildMethod: makefile).

GO        ?= go
FUNCTIONS := api route sweep notify staff web miniprogram smsin smseum hotline outbound
GOFLAGS_LAMBDA := -tags lambda.norpc -trimpath -ldflags='-s -w -buildid='
BIN       := .build
PORT      ?= 8080

.PHONY: all deps e2e-deps test-e2e run test bench build vet fmt clean FORCE build-ApiFunction build-RouteFunction build-SweepFunction build-WebFunction build-NotifyFunction build-StaffFunction \
	build-MiniProgramFunction build-SmsInboundFunction build-SmsEumFunction build-HotlineFunction build-OutboundFunction

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
bench: deps
	@$(GO) run ./infra/emulators/cmd/withemulators -- $(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 30m ./...

## build: the arm64 bootstrap of every function, as Lambda runs it
build: $(addprefix $(BIN)/,$(addsuffix /bootstrap,$(FUNCTIONS)))
	@ls -l $(BIN)/*/bootstrap

$(BIN)/%/bootstrap: FORCE
	@mkdir -p $(dir $@)
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $@ ./functions/$*

FORCE:

# SAM: one target per function logical id; SAM sets ARTIFACTS_DIR.
build-ApiFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api
build-RouteFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/route
build-SweepFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/sweep
build-NotifyFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/notify
build-StaffFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/staff
build-WebFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/web
build-MiniProgramFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/miniprogram
build-SmsInboundFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/smsin
build-SmsEumFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/smseum
build-HotlineFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/hotline
build-OutboundFunction:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_LAMBDA) -o $(ARTIFACTS_DIR)/bootstrap ./functions/outbound

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf $(BIN)
