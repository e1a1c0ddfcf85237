package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/open12315/intake/infra/emulators"
	"github.com/open12315/intake/infra/local"
	"github.com/open12315/intake/shared/app"
)

func init() {
	commands["run"] = command{summary: "run the whole system locally (emulators, tables, queues, HTTP API)", run: runLocal}
}

func runLocal(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", envInt("PORT", 8080), "HTTP port of the local API (env PORT)")
	tmplPath := fs.String("template", "template.yaml", "SAM template to run")
	dataDir := fs.String("data", "", "keep DynamoDB data in this directory (default: in memory)")
	sweepEvery := fs.Duration("sweep-every", 0, "run schedules at this interval instead of the template's rate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	tmpl, err := local.LoadTemplate(*tmplPath)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		return fmt.Errorf("port %d: %w (set PORT to use another)", *port, err)
	}
	defer ln.Close()

	fmt.Fprintln(stdout, "starting DynamoDB Local and the SQS emulator…")
	opts := emulators.Options{Log: io.Discard}
	if *dataDir != "" {
		if opts.DataDir, err = filepath.Abs(*dataDir); err != nil {
			return err
		}
		if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
			return err
		}
	}
	emu, err := emulators.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer emu.Stop()

	env := app.Env(func(k string) string {
		switch k {
		case "AWS_ENDPOINT_URL_DYNAMODB":
			return emu.DynamoEndpoint
		case "AWS_ENDPOINT_URL_SQS":
			return emu.SQSEndpoint
		case "AWS_REGION":
			return local.Region
		}
		return ""
	})
	cfg, err := app.AWSConfig(ctx, env)
	if err != nil {
		return err
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	devKey, err := local.DevKey(root)
	if err != nil {
		return err
	}
	chEnv, chBanner, stopFake, err := devChannels("http://"+ln.Addr().String(), root)
	if err != nil {
		return err
	}
	defer stopFake()
	stack, err := local.Start(ctx, local.Config{
		Template:       tmpl,
		StackName:      "intake-local",
		DynamoEndpoint: emu.DynamoEndpoint,
		SQSEndpoint:    emu.SQSEndpoint,
		DynamoDB:       app.DynamoDB(cfg, env),
		SQS:            app.SQS(cfg, env),
		Factories:      local.Factories(),
		Log:            log,
		ScheduleEvery:  *sweepEvery,
		JWTKey:         devKey,
		Env:            chEnv,
	})
	if err != nil {
		return err
	}
	defer stack.Close()

	srv := &http.Server{Handler: stack, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, `
intake is running
  HTTP API        %s   (routes from template.yaml)
  DynamoDB Local  %s   table %s
  SQS emulator    %s   queue %s
  functions       %d, with their queue consumers and schedules

the mobile web page: %s/

file a complaint:

curl -sS -X POST %s/v1/complaints \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-1' \
  -d '{"kind":"complaint","consumer":{"name":"张三","phone":"13800138000","address":"西宁市城东区八一路1号"},"business":{"name":"西宁某某超市","address":"西宁市城东区东关大街2号","region_code":"630102"},"facts":"在超市购买的牛奶已过保质期，饮用后腹泻。","request":"退款并赔偿","amount_yuan":"35.50"}'

then look it up (a few seconds later it shows the unit and the due date):

curl -sS %s/v1/complaints/<id> -H 'X-Tracking-Code: <tracking_code>'

staff of 西宁市城东区 see it with a development token:

curl -sS %s/v1/staff/cases -H "Authorization: Bearer $(go run ./infra/intakectl token --unit 630102 --role handler)"
`, base, emu.DynamoEndpoint, stack.TableName("CasesTable"), emu.SQSEndpoint,
		stack.QueueURL("RouteQueue"), len(tmpl.Functions), base, base, base, base)
	fmt.Fprint(stdout, chBanner)
	fmt.Fprintln(stdout, "\nCtrl-C stops everything.")

	select {
	case <-ctx.Done():
		fmt.Fprintln(stdout, "\nstopping…")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	return nil
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}
