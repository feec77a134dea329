package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gen-site/gen/generator"
)

const graphSynopsis = `graph [--content DIR]

Prints the knowledge graph of the notes as one JSON document: notes,
entities, sections, mentions, facts, conflicts, comparisons and edges (see
the graph schema in the documentation). Every location is a raw note's path
relative to the content folder and a 1-based line of the file on disk.`

func runGraph(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("graph")
	var cf contentFlags
	cf.register(fs)
	if code, stop := parseFlags(fs, graphSynopsis, args, stdout, stderr); stop {
		return code
	}
	res, err := generator.Build(ctx, cf.options())
	if res == nil || res.Graph == nil {
		return reportBuildError(stderr, "graph", err, cf.content)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.Graph); err != nil {
		fmt.Fprintf(stderr, "gen graph: %v\n", err)
		return exitFailed
	}
	if err != nil {
		printDiagnostics(stderr, res.Diagnostics, cf.content, true)
		return exitFailed
	}
	return exitOK
}

const checkSynopsis = `check [--content DIR] [--format text|json]

Reads every note and lists, without writing anything: every repair made to
read a note as its author meant (path:line: rule: before → after), every
warning and error, names that look like services but resolve to none,
resolutions made with low confidence, and conflicts between notes. Repairs
are not errors: the exit status is 0 when every note could be read.`

// checkItem is one line of `gen check`.
type checkItem struct {
	Path     string `json:"path"`
	Line     int    `json:"line,omitempty"`
	Kind     string `json:"kind"` // repair, warning, error, unresolved, low-confidence, conflict
	Rule     string `json:"rule,omitempty"`
	Before   string `json:"before,omitempty"`
	After    string `json:"after,omitempty"`
	Message  string `json:"message,omitempty"`
	Entity   string `json:"entity,omitempty"`
	Severity string `json:"severity,omitempty"`
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check")
	var cf contentFlags
	cf.register(fs)
	format := fs.String("format", "text", "the output `format`: text or json")
	if code, stop := parseFlags(fs, checkSynopsis, args, stdout, stderr); stop {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "gen check: --format must be text or json, not %q\n", *format)
		return exitUsage
	}
	res, err := generator.Build(ctx, cf.options())
	if res == nil {
		return reportBuildError(stderr, "check", err, cf.content)
	}
	var items []checkItem
	for _, r := range res.Repairs {
		items = append(items, checkItem{Path: r.Path, Line: r.Line, Kind: "repair", Rule: r.Rule, Before: r.Before, After: r.After})
	}
	for _, d := range res.Diagnostics {
		kind := "warning"
		if d.Severity == generator.Error {
			kind = "error"
		}
		items = append(items, checkItem{Path: d.Path, Line: d.Line, Kind: kind, Rule: d.Rule, Message: d.Msg})
	}
	if g := res.Graph; g != nil {
		paths := map[string]string{}
		for _, n := range g.Notes {
			paths[n.ID] = n.Path
		}
		for m := range g.EachMention() {
			if m.Score > 0 && m.Score < 0.9 {
				items = append(items, checkItem{Path: paths[m.Note], Line: m.Line, Kind: "low-confidence", Rule: m.How, Entity: m.Entity,
					Message: fmt.Sprintf("%q read as %s (%s, %.2f)", m.Text, m.Entity, m.How, m.Score)})
			}
		}
		for _, u := range generator.Unresolved(g) {
			items = append(items, checkItem{Path: paths[u.Note], Line: u.Line, Kind: "unresolved", Message: fmt.Sprintf("%q looks like a service name but names no entity of the catalog", u.Text)})
		}
		for _, c := range g.Conflicts {
			var sides []string
			path, line := "", 0
			for _, v := range c.Values {
				var locs []string
				for _, s := range v.Sources {
					locs = append(locs, fmt.Sprintf("%s:%d", paths[s.Note], s.Line))
					if path == "" {
						path, line = paths[s.Note], s.Line
					}
				}
				sides = append(sides, fmt.Sprintf("%s (%s)", v.Value, strings.Join(locs, ", ")))
			}
			items = append(items, checkItem{Path: path, Line: line, Kind: "conflict", Entity: c.Entity,
				Message: fmt.Sprintf("notes disagree on the %s of %s: %s", c.Attribute, c.Entity, strings.Join(sides, " · "))})
		}
	}
	slices.SortStableFunc(items, func(a, b checkItem) int {
		if a.Path != b.Path {
			return strings.Compare(a.Path, b.Path)
		}
		return a.Line - b.Line
	})
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if items == nil {
			items = []checkItem{}
		}
		_ = enc.Encode(items)
	} else {
		dir := strings.TrimSuffix(cf.content, "/")
		for _, it := range items {
			loc := dir + "/" + it.Path
			if it.Line > 0 {
				loc = fmt.Sprintf("%s:%d", loc, it.Line)
			}
			switch it.Kind {
			case "repair":
				fmt.Fprintf(stdout, "%s: %s: %s → %s\n", loc, it.Rule, show(it.Before), show(it.After))
			default:
				fmt.Fprintf(stdout, "%s: %s: %s\n", loc, it.Kind, it.Message)
			}
		}
	}
	if err != nil {
		return exitFailed
	}
	return exitOK
}

// show makes an empty before or after visible.
func show(s string) string {
	if s == "" {
		return "∅"
	}
	return s
}

func reportBuildError(stderr io.Writer, cmd string, err error, content string) int {
	var be *generator.BuildError
	if errors.As(err, &be) {
		printDiagnostics(stderr, be.List, content, false)
	} else if err != nil {
		fmt.Fprintf(stderr, "gen %s: %v\n", cmd, err)
	}
	return exitFailed
}
