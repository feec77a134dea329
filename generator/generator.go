package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/overlay"
	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/search"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// Options says what to build.
type Options struct {
	// ContentDir is the content folder; "" means "content". It is read
	// through Content when that is set.
	ContentDir string
	// Content, when not nil, is the content folder's file system (tests
	// pass a txtar archive); otherwise ContentDir is read from disk. Its
	// files are read on every core at once, so it must be safe for
	// concurrent use, as os.DirFS and fstest.MapFS are.
	Content fs.FS
	// SiteDir is the folder whose templates/ and assets/ override the
	// embedded ones file by file; "" means the parent of ContentDir. Set
	// Templates and Assets instead to pass file systems directly.
	SiteDir     string
	Templates   fs.FS
	Assets      fs.FS
	BaseURL     string // absolute URL or path the site is served under
	Title       string // the site's name; "" means "Notes"
	MaxNoteSize int64  // see source.Options
	// Offline builds the site for reading from file:// (gen bundle): no
	// absolute URLs, and no sitemap, robots.txt, redirects or 404 page,
	// which only a web server uses.
	Offline bool
	// BrokenLinksWarn makes a link to a missing note, anchor or entity a
	// warning instead of an error: a live preview shows the page while the
	// author fixes the link, a build refuses to publish it.
	BrokenLinksWarn bool
}

// File is one output file, held in memory until written.
type File = output.File

// Diagnostic is one problem found in the input.
type Diagnostic = diag.Diagnostic

// Severity levels of a Diagnostic.
const (
	Warning = diag.Warning
	Error   = diag.Error
)

// BuildError is the error Build returns when the input has errors; its List
// holds every diagnostic.
type BuildError = diag.BuildError

// Graph is the knowledge graph a build made; its JSON form is what
// `gen graph` prints.
type Graph = graph.Graph

// Result is what a build made.
type Result struct {
	Files       []File
	Diagnostics []Diagnostic
	Stats       Stats
	// Graph is the knowledge graph of the notes; it is set even when the
	// build failed, as far as the notes could be read.
	Graph *Graph
	// Repairs lists what the cleaner and parser changed in each note to
	// recover the structure its author meant. A Builder's results leave it
	// nil: Builder.Repairs gives them.
	Repairs []Repair

	index *search.Index
}

// Search answers a query with Bleve itself on the build's search index:
// the ranking the browser client reproduces from the exported files.
func (r *Result) Search(q string, limit int) ([]SearchHit, error) {
	return r.SearchIndex().Search(q, limit)
}

// SearchIndex returns the build's search index.
func (r *Result) SearchIndex() *SearchIndex { return &SearchIndex{ix: r.index} }

// Repair is one change made to a note to read it as its author meant.
type Repair struct {
	Path   string // relative to the content folder
	Line   int    // 1-based raw line
	Rule   string
	Before string
	After  string
}

// Stats summarises a build.
type Stats struct {
	Notes    int
	Pages    int // HTML files
	Bytes    int64
	Duration time.Duration
	// Stages is the wall time of each stage, in pipeline order. The search
	// index is built while the site renders, so the two overlap and the
	// stages add up to more than Duration.
	Stages []StageTime
}

// StageTime is how long one stage of a build took.
type StageTime struct {
	Stage    string // source, catalog, notes, graph, site, search
	Duration time.Duration
}

// Build reads the notes and renders the site in memory. It returns an error
// (a *BuildError) when the input has errors; the Result then holds the
// diagnostics but no files, so that nothing half-built is ever written.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	var stages []StageTime
	mark := start
	stage := func(name string) {
		now := time.Now()
		stages = append(stages, StageTime{name, now.Sub(mark)})
		mark = now
	}
	contentFS, release, err := opts.contentFS()
	if err != nil {
		return nil, err
	}
	defer release()
	notes, diags := source.Load(contentFS, source.Options{MaxNoteSize: opts.MaxNoteSize})
	stage("source")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	know, kdiags := loadKnowledge(contentFS)
	diags = append(diags, kdiags...)
	stage("catalog")

	p := parse.New()
	docs, extracts, noteDocs, noteReps := processNotes(ctx, p, notes, know)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var repairs []Repair
	for i, d := range docs {
		for _, r := range d.Clean.Repairs {
			if r.Rule == "utf8" {
				diags.Warnf(d.Source.Path, r.Line, "utf8", "invalid UTF-8 byte %s replaced with U+FFFD", r.Before)
			}
		}
		repairs = append(repairs, noteReps[i]...)
	}
	stage("notes")
	g := graph.Merge(extracts, know)
	stage("graph")

	// The search index is built from plain text taken from the graph and
	// the notes, alongside the rendering.
	sdocs := joinSearchDocs(graphSearchDocs(g), noteDocs)
	type indexed struct {
		ix    *search.Index
		files []search.File
		err   error
		took  time.Duration
	}
	indexDone := make(chan indexed, 1)
	go func() {
		begin := time.Now()
		ix, err := search.Build(sdocs)
		if err != nil {
			indexDone <- indexed{err: err}
			return
		}
		files, err := ix.Export()
		indexDone <- indexed{ix, files, err, time.Since(begin)}
	}()

	// The notes come without their trees (processNotes): each note's page
	// parses it again, and lets it go once made.
	files, sdiags, _ := site.NewRenderer().Render(p, docs, g, opts.siteOptions())
	diags = append(diags, sdiags...)
	stage("site")
	idx := <-indexDone
	stages = append(stages, StageTime{"search", idx.took})
	if idx.err != nil {
		diags.Errorf("", 0, "search", "cannot build the search index: %v", idx.err)
	}
	for _, f := range idx.files {
		files = append(files, File{Path: f.Path, Data: f.Data})
	}
	if !opts.Offline {
		files = append(files, File{Path: "_redirects", Data: redirects(g, opts.BaseURL, namedEntities(g, mentionCounts(g)))})
	}
	diags.Sort()

	res := &Result{Diagnostics: diags, Graph: g, Repairs: repairs, index: idx.ix}
	if diags.HasErrors() {
		res.Stats = Stats{Notes: len(notes), Duration: time.Since(start), Stages: stages}
		return res, diags.Err()
	}
	if opts.Offline {
		// A folder opened from file:// has no server to read these.
		kept := files[:0]
		for _, f := range files {
			switch f.Path {
			case "sitemap.xml", "robots.txt", "_redirects", "_headers", "404.html":
				continue
			}
			kept = append(kept, f)
		}
		files = kept
	}
	res.Files = files
	res.Stats = Stats{Notes: len(notes), Duration: time.Since(start), Stages: stages}
	for _, f := range files {
		res.Stats.Bytes += int64(len(f.Data))
		if filepath.Ext(f.Path) == ".html" {
			res.Stats.Pages++
		}
	}
	return res, nil
}

// siteOptions are the options of the site stage, for Build and Builder
// alike.
func (o Options) siteOptions() site.Options {
	tmpl, assets := o.themeFS()
	return site.Options{BaseURL: o.BaseURL, Title: o.Title, Templates: tmpl, Assets: assets,
		BrokenLinksWarn: o.BrokenLinksWarn, Offline: o.Offline}
}

// rawLine returns line n (1-based) of raw without its line ending.
func rawLine(raw []byte, n int) string {
	for i := 1; len(raw) > 0; i++ {
		j := bytes.IndexByte(raw, '\n')
		line := raw
		if j >= 0 {
			line, raw = raw[:j], raw[j+1:]
		} else {
			raw = nil
		}
		if i == n {
			return strings.TrimRight(string(line), "\r")
		}
	}
	return ""
}

// processNotes works every note on every core as a preview's Builder
// does (readNote), then reads what the other pages show of it
// (site.Prepare, which changes the tree). The notes it returns have no
// tree: trees are most of a note's memory (at 10,000 notes the heap held
// 1,056 MB once they were all parsed), and the note's page parses it
// again.
func processNotes(ctx context.Context, p *parse.Parser, notes []*source.Note, k *graph.Knowledge) ([]*site.Note, []*graph.NoteExtract, [][]search.Doc, [][]Repair) {
	docs := make([]*site.Note, len(notes))
	extracts := make([]*graph.NoteExtract, len(notes))
	sdocs := make([][]search.Doc, len(notes))
	repairs := make([][]Repair, len(notes))
	par.ForEach(len(notes), func(i int) {
		if ctx.Err() != nil {
			return
		}
		d := &site.Note{Source: notes[i]}
		extracts[i], sdocs[i], repairs[i] = readNote(p, d, k, true)
		d.Prep = site.Prepare(d)
		d.Doc = nil
		docs[i] = d
	})
	return docs, extracts, sdocs, repairs
}

func (o Options) contentDir() string {
	if o.ContentDir == "" {
		return "content"
	}
	return o.ContentDir
}

// contentFS returns the content folder's file system, and a function
// that releases it once the build is done with it.
func (o Options) contentFS() (fs.FS, func(), error) {
	if o.Content != nil {
		return o.Content, func() {}, nil
	}
	dir := o.contentDir()
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, &diag.BuildError{List: diag.List{{Path: dir, Severity: diag.Error, Rule: "content", Msg: "content folder does not exist"}}}
		}
		return nil, nil, err
	}
	if !fi.IsDir() {
		return nil, nil, &diag.BuildError{List: diag.List{{Path: dir, Severity: diag.Error, Rule: "content", Msg: "content folder is not a folder"}}}
	}
	// An os.Root never leaves the folder: a symbolic link that points
	// outside it (content/notes/x.md → /etc/passwd) cannot be opened, so
	// no file from elsewhere reaches a site. One Root for the build, not
	// one for each of 10,000 files, as os.OpenInRoot would open.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return root.FS(), func() { _ = root.Close() }, nil
}

// themeFS returns the templates and assets to build with: the site
// folder's own files over the embedded ones.
func (o Options) themeFS() (tmpl, assets fs.FS) {
	tmpl, assets = o.Templates, o.Assets
	siteDir := o.SiteDir
	if siteDir == "" && o.Content == nil {
		siteDir = filepath.Dir(filepath.Clean(o.contentDir()))
	}
	if tmpl == nil {
		tmpl = overlay.New(dirIfExists(siteDir, "templates"), gen.Templates())
	}
	if assets == nil {
		assets = overlay.New(dirIfExists(siteDir, "assets"), gen.Assets())
	}
	return tmpl, assets
}

func dirIfExists(parent, name string) fs.FS {
	if parent == "" {
		return nil
	}
	d := filepath.Join(parent, name)
	if fi, err := os.Stat(d); err == nil && fi.IsDir() {
		return os.DirFS(d)
	}
	return nil
}

// CheckOutput refuses an output folder that a build must not replace: the
// file system root, the content folder or one that holds it, and a
// non-empty folder that gen did not write, unless force.
func CheckOutput(out, contentDir string, force bool) error {
	return output.CheckTarget(out, contentDir, force)
}

// Zip writes files as a zip archive at path, under the folder top, and
// renames it into place only when it is complete.
func Zip(path, top string, files []File) error {
	return output.Zip(path, top, files)
}

// Write writes files to the folder out, replacing it whole: the new site
// is written beside it and swapped in, so a failure leaves out as it was.
func Write(out string, files []File) error {
	return output.Write(out, files)
}
