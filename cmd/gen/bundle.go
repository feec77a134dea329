package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gen-site/gen/generator"
)

const bundleSynopsis = `bundle [--content DIR] [--out gen-site.zip] [--dir FOLDER]

Builds the site for offline reading: a zip (or, with --dir, a folder) that
works when unzipped and opened from file://, search included. Every link is
relative and ends in .html, the search index loads with <script> tags, and
every asset is inside: nothing comes from the network. A failed bundle
leaves the previous zip or folder as it was.`

func runBundle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bundle")
	var cf contentFlags
	cf.register(fs)
	out := fs.String("out", "gen-site.zip", "the zip `file` to write")
	dir := fs.String("dir", "", "write a `folder` instead of a zip")
	force := fs.Bool("force", false, "replace --dir even if it is a non-empty folder that gen did not write")
	quiet := fs.Bool("quiet", false, "print errors only")
	if code, stop := parseFlags(fs, bundleSynopsis, args, stdout, stderr); stop {
		return code
	}
	if *dir != "" {
		if err := generator.CheckOutput(*dir, cf.content, *force); err != nil {
			fmt.Fprintf(stderr, "gen bundle: %v\n", err)
			return exitUsage
		}
	} else if fi, err := os.Stat(*out); err == nil && fi.IsDir() {
		fmt.Fprintf(stderr, "gen bundle: %s is a folder; use --dir to write a folder\n", *out)
		return exitUsage
	}
	start := time.Now()
	opts := cf.options()
	opts.Offline = true
	res, err := generator.Build(ctx, opts)
	if res != nil {
		printDiagnostics(stderr, res.Diagnostics, cf.content, *quiet)
	}
	if err != nil {
		var be *generator.BuildError
		if !errors.As(err, &be) {
			fmt.Fprintf(stderr, "gen bundle: %v\n", err)
		}
		fmt.Fprintln(stderr, "gen bundle: failed; nothing written")
		return exitFailed
	}
	target := *out
	if *dir != "" {
		target = *dir
		err = generator.Write(*dir, res.Files)
	} else {
		top := strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out))
		err = generator.Zip(*out, top, res.Files)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gen bundle: cannot write %s: %v\n", target, err)
		return exitFailed
	}
	if !*quiet {
		fmt.Fprintf(stderr, "gen: %d notes → %d pages, %s in %d ms → %s (open index.html)\n",
			res.Stats.Notes, res.Stats.Pages, humanSize(res.Stats.Bytes), time.Since(start).Milliseconds(), target)
	}
	return exitOK
}
