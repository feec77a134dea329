package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gen-site/gen/generator"
)

const searchSynopsis = `search [--content DIR] [--json] [--limit N] QUERY

Builds the site in memory and answers QUERY with Bleve on the site's search
index: the same index, and the same ranking, that the browser's search box
uses. Each result is a page or a section of one.`

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("search")
	var cf contentFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, "print the results as a JSON array of {id, url, title, section, score}")
	limit := fs.Int("limit", 10, "the most `results` to print")
	// Flags may come before or after the query words.
	var words []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			code, _ := parseFlags(fs, searchSynopsis, rest, stdout, stderr)
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(words) == 0 {
		fmt.Fprintf(stderr, "gen search: no query\n\n")
		printFlags(stderr, fs, searchSynopsis)
		return exitUsage
	}
	res, err := generator.Build(ctx, cf.options())
	if err != nil || res == nil {
		return reportBuildError(stderr, "search", err, cf.content)
	}
	hits, err := res.Search(strings.Join(words, " "), *limit)
	if err != nil {
		fmt.Fprintf(stderr, "gen search: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if hits == nil {
			hits = []generator.SearchHit{}
		}
		_ = enc.Encode(hits)
		return exitOK
	}
	for _, h := range hits {
		title := h.Title
		if h.Section != "" {
			title += " › " + h.Section
		}
		fmt.Fprintf(stdout, "%8.4f  %s\n          %s\n", h.Score, title, h.URL)
	}
	if len(hits) == 0 {
		fmt.Fprintln(stderr, "gen search: no results")
	}
	return exitOK
}
