// Command gen turns a folder of study notes into a static site.
//
// Usage:
//
//	gen build [--content DIR] [--out DIR] [--base-url URL] [--force] [--quiet]
//	gen serve [--content DIR] [--port N] [--bind ADDR]
//
// Run "gen help" or "gen COMMAND --help" for every flag. The command is a
// thin layer over package generator: it turns flags into options, prints
// diagnostics and sets the exit status (0 built, 1 build failed, 2 bad
// usage).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/gen-site/gen/generator"
	"github.com/gen-site/gen/generator/serve"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site into a folder (public/ by default)", runBuild},
		{"serve", "build the site in memory and serve it for preview", runServe},
		{"check", "list repairs, warnings, unresolved names and conflicts", runCheck},
		{"graph", "print the knowledge graph as JSON", runGraph},
		{"search", "answer a query with the site's search index", runSearch},
		{"bundle", "build an offline copy of the site: a zip that works from file://", runBundle},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "gen: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gen turns a folder of notes into a static site with a knowledge graph.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: gen COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "gen COMMAND --help" for the flags of a command.`)
}

// newFlags returns a flag set that prints nothing itself: parseFlags prints
// usage to stdout for --help and to stderr for a mistake.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags prints usage and errors itself
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args and handles --help and mistakes: it returns
// (code, true) when the command should stop with that exit status.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printFlags(stdout, fs, synopsis)
		return exitOK, true
	}
	if err != nil {
		fmt.Fprintf(stderr, "gen %s: %v\n\n", fs.Name(), err)
		printFlags(stderr, fs, synopsis)
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gen %s: unexpected argument %q\n\n", fs.Name(), fs.Arg(0))
		printFlags(stderr, fs, synopsis)
		return exitUsage, true
	}
	return 0, false
}

func printFlags(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage: gen %s\n\n%s\n\nFlags:\n", fs.Name(), synopsis)
	fs.VisitAll(func(f *flag.Flag) {
		name, u := flag.UnquoteUsage(f)
		if name != "" {
			name = " " + name
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s%s\n      %s%s\n", f.Name, name, u, def)
	})
}

// contentFlags are the flags of every command that reads a site.
type contentFlags struct {
	content     string
	baseURL     string
	title       string
	maxNoteSize int64
}

func (c *contentFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.content, "content", "content", "the content `folder`: notes under its notes/ (or anywhere in it), templates/ and assets/ beside it override the built-in ones")
	fs.StringVar(&c.baseURL, "base-url", "", "the `URL` (or path) the site is served under, such as https://example.org/aws/")
	fs.StringVar(&c.title, "title", "", "the site's `name` (default \"Notes\")")
	fs.Int64Var(&c.maxNoteSize, "max-note-size", 32<<20, "the largest note, in `bytes`, that is read; larger ones are errors")
}

func (c *contentFlags) options() generator.Options {
	return generator.Options{ContentDir: c.content, BaseURL: c.baseURL, Title: c.title, MaxNoteSize: c.maxNoteSize}
}

const buildSynopsis = `build [--content DIR] [--out DIR] [--base-url URL] [--force] [--quiet] [--timings]

Builds the site in memory and, if every note could be read, writes it to the
output folder, replacing the previous build whole. A failed build prints
every problem as path:line: message and leaves the previous output as it was.
With --cache-dir it keeps what it makes of each note in a note cache, as gen
serve does, and a build again reads every note it can from there: a note is
read afresh when its bytes, its path or the catalog changed, or gen did.
Files that are the same as in the previous output are not written again.
Exit status: 0 built, 1 build failed, 2 bad usage.`

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build")
	var cf contentFlags
	cf.register(fs)
	out := fs.String("out", "public", "the output `folder`")
	force := fs.Bool("force", false, "replace --out even if it is a non-empty folder that gen did not write")
	quiet := fs.Bool("quiet", false, "print errors only: no summary line, no warnings")
	timings := fs.Bool("timings", false, "print the time each stage of the build took")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file`, for go tool pprof")
	memProfile := fs.String("memprofile", "", "write a heap profile to `file` when the site is made, before it is written, for go tool pprof")
	cacheDir := fs.String("cache-dir", "", "keep what was made of each note in this `folder` (such as the one gen serve keeps, ~/.cache/gen), for the next build to read instead of making it again; none by default")
	if code, stop := parseFlags(fs, buildSynopsis, args, stdout, stderr); stop {
		return code
	}
	cacheFile := ""
	if *cacheDir != "" {
		var err error
		if cacheFile, err = generator.CachePath(*cacheDir, cf.content); err != nil {
			fmt.Fprintf(stderr, "gen build: %v\n", err)
			return exitFailed
		}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "gen build: %v\n", err)
			return exitFailed
		}
		defer stop()
	}
	if err := generator.CheckOutput(*out, cf.content, *force); err != nil {
		fmt.Fprintf(stderr, "gen build: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	res, cs, saveCache, err := generator.BuildCached(ctx, cf.options(), cacheFile)
	if res != nil {
		printDiagnostics(stderr, res.Diagnostics, cf.content, *quiet)
	}
	if err != nil {
		var be *generator.BuildError
		if !errors.As(err, &be) {
			fmt.Fprintf(stderr, "gen build: %v\n", err)
		} else if res == nil {
			printDiagnostics(stderr, be.List, "", false)
		}
		fmt.Fprintf(stderr, "gen build: failed; %s left as it was\n", *out)
		return exitFailed
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			fmt.Fprintf(stderr, "gen build: %v\n", err)
			return exitFailed
		}
	}
	written := time.Now()
	// The note cache is written beside the site: it is for the next
	// build, and a cache that could not be written costs only time.
	saved := make(chan error, 1)
	go func() {
		if saveCache == nil {
			saved <- nil
			return
		}
		saved <- saveCache(ctx)
	}()
	if err := generator.Write(*out, res.Files); err != nil {
		fmt.Fprintf(stderr, "gen build: cannot write %s: %v\n", *out, err)
		return exitFailed
	}
	if err := <-saved; err != nil && !*quiet {
		fmt.Fprintf(stderr, "gen build: warning: cannot write the note cache: %v\n", err)
	}
	if *timings {
		for _, s := range res.Stats.Stages {
			fmt.Fprintf(stderr, "gen: stage %-11s %6d ms\n", s.Stage, s.Duration.Milliseconds())
		}
		fmt.Fprintf(stderr, "gen: stage %-11s %6d ms\n", "output", time.Since(written).Milliseconds())
	}
	if !*quiet {
		if cs.Err != nil {
			fmt.Fprintf(stderr, "gen: note cache: %v; every note was read afresh\n", cs.Err)
		}
		cached := ""
		if cs.Path != "" {
			cached = fmt.Sprintf(" (%d of %d notes from the cache)", cs.Hits, cs.Hits+cs.Misses)
		}
		fmt.Fprintf(stderr, "gen: %d notes → %d pages, %s in %d ms%s\n",
			res.Stats.Notes, res.Stats.Pages, humanSize(res.Stats.Bytes), time.Since(start).Milliseconds(), cached)
	}
	return exitOK
}

const serveSynopsis = `serve [--content DIR] [--port N] [--bind ADDR] [--poll INTERVAL]

Builds the site in memory and serves it for preview at http://127.0.0.1:1313/.
It watches the content, templates and assets folders, rebuilds what a change
needs and reloads the pages open in a browser; a failed build shows its
errors over the page and keeps the last good site served. It listens on the
loopback address only, unless --bind says otherwise. Ctrl-C stops it.

What it makes of each note is kept in a cache file (see --cache-dir), so that
it starts again in a fraction of the time: a note is read afresh when its
bytes, its path or the catalog changed, or gen did.`

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve")
	var cf contentFlags
	cf.register(fs)
	port := fs.Int("port", 1313, "the TCP `port` to listen on (0 picks a free one)")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; 0.0.0.0 makes the preview reachable from other machines")
	poll := fs.Duration("poll", 0, "look for changed files at this `interval` (such as 500ms) instead of waiting for the system's events, which network mounts and some containers never send")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the preview, from start-up to Ctrl-C, to `file`, for go tool pprof")
	cacheDir := fs.String("cache-dir", "", "keep what was made of each note in this `folder`, for the next start-up to read instead of making it again (default gen in the user's cache folder, such as ~/.cache/gen)")
	noCache := fs.Bool("no-cache", false, "neither read nor write the note cache: make everything afresh")
	if code, stop := parseFlags(fs, serveSynopsis, args, stdout, stderr); stop {
		return code
	}
	cacheFile := ""
	if !*noCache {
		root := *cacheDir
		if root == "" {
			root, _ = generator.DefaultCacheRoot() // none: no cache
		}
		if root != "" {
			var err error
			if cacheFile, err = generator.CachePath(root, cf.content); err != nil {
				fmt.Fprintf(stderr, "gen serve: %v\n", err)
				return exitFailed
			}
		}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "gen serve: %v\n", err)
			return exitFailed
		}
		defer stop()
	}
	err := serve.Serve(ctx, serve.Options{
		Build: cf.options(), Bind: *bind, Port: *port, Log: stderr, Watch: serve.WatchOptions{Poll: *poll},
		CacheFile: cacheFile,
		Ready:     func(url string) { fmt.Fprintf(stdout, "Serving %s at %s (Ctrl-C to stop)\n", cf.content, url) },
	})
	if err != nil {
		var be *generator.BuildError
		if errors.As(err, &be) {
			printDiagnostics(stderr, be.List, cf.content, false)
			return exitFailed
		}
		fmt.Fprintf(stderr, "gen serve: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func printDiagnostics(w io.Writer, ds []generator.Diagnostic, dir string, quiet bool) {
	dir = strings.TrimSuffix(dir, "/")
	for _, d := range ds {
		if quiet && d.Severity != generator.Error {
			continue
		}
		fmt.Fprintln(w, d.Format(dir))
	}
}

func humanSize(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// startCPUProfile starts a CPU profile written to path, and returns the
// function that ends it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the live heap, as of a collection made now, to
// path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// A profile is as of the collection before last: two make it current.
	runtime.GC()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
