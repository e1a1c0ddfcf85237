package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/open12315/intake/infra/local"
	"github.com/open12315/intake/shared/auth"
)

func init() {
	commands["token"] = command{summary: "mint a development staff JWT that the local gateway accepts", run: runToken}
}

func runToken(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	unit := fs.String("unit", "", "6-digit unit code: 630000 province, 63xx00 prefecture, 63xxxx county (required)")
	role := fs.String("role", "handler", "handler, supervisor or viewer")
	sub := fs.String("sub", "", "staff id (default dev-<role>-<unit>)")
	ttl := fs.Duration("ttl", 8*time.Hour, "lifetime of the token")
	tmplPath := fs.String("template", "template.yaml", "SAM template (for the issuer and audience)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	r := auth.Role(*role)
	if !r.Valid() {
		return fmt.Errorf("--role must be handler, supervisor or viewer")
	}
	if !auth.ValidUnit(*unit) {
		return fmt.Errorf("--unit must be a current Qinghai unit code (630000, 63xx00 or a county), got %q", *unit)
	}
	if *ttl <= 0 || *ttl > 7*24*time.Hour {
		return fmt.Errorf("--ttl must be between 1s and 168h")
	}
	if *sub == "" {
		*sub = "dev-" + *role + "-" + *unit
	}
	tmpl, err := local.LoadTemplate(*tmplPath)
	if err != nil {
		return err
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	key, err := local.DevKey(root)
	if err != nil {
		return err
	}
	tok, err := auth.Mint(key, local.StaffTokenClaims(tmpl, *sub, *unit, r, *ttl, time.Now()))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
