package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/open12315/intake/shared/routing"
)

func init() {
	commands["odr"] = command{summary: "manage the ODR enterprise registry: list | add FILE|- | remove ID", run: runODR}
}

// runODR manages the registry the route consumer reads (within its cache
// time, five minutes).
func runODR(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("odr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStoreFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	if fs.NArg() == 0 {
		return fmt.Errorf("want list, add FILE or remove ID")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	switch verb := fs.Arg(0); verb {
	case "list":
		es, err := st.ODREnterprises(ctx)
		if err != nil {
			return err
		}
		sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
		enc := json.NewEncoder(stdout)
		for _, e := range es {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	case "add":
		if fs.NArg() != 2 {
			return fmt.Errorf("add takes one file of JSON enterprises (an object or an array), or - for stdin")
		}
		var r io.Reader = os.Stdin
		if fs.Arg(1) != "-" {
			f, err := os.Open(fs.Arg(1))
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		var es []routing.Enterprise
		if err := json.Unmarshal(b, &es); err != nil {
			var one routing.Enterprise
			if err2 := json.Unmarshal(b, &one); err2 != nil {
				return fmt.Errorf("not an enterprise or a list of them: %w", err)
			}
			es = []routing.Enterprise{one}
		}
		// Validate the whole file against the current registry before
		// writing anything.
		current, err := st.ODREnterprises(ctx)
		if err != nil {
			return err
		}
		reg, err := routing.NewRegistry()
		if err != nil {
			return err
		}
		for _, e := range current {
			if !contains(es, e.ID) {
				_ = reg.Add(e)
			}
		}
		for _, e := range es {
			if err := reg.Add(e); err != nil {
				return fmt.Errorf("enterprise %q: %w", e.ID, err)
			}
		}
		for _, e := range es {
			stored, _ := reg.Get(e.ID)
			if err := st.PutODREnterprise(ctx, stored); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "saved %s %s\n", stored.ID, stored.Name)
		}
		return nil
	case "remove":
		if fs.NArg() != 2 {
			return fmt.Errorf("remove takes one enterprise id")
		}
		if err := st.DeleteODREnterprise(ctx, fs.Arg(1)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s\n", fs.Arg(1))
		return nil
	default:
		return fmt.Errorf("unknown verb %q: want list, add or remove", verb)
	}
}

func contains(es []routing.Enterprise, id string) bool {
	for _, e := range es {
		if e.ID == id {
			return true
		}
	}
	return false
}
