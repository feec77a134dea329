package generator

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing/fstest"
	"time"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/notecache"
	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/search"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// Builder builds a site again and again as its files change, and redoes
// only the work that depends on what changed: a live preview keeps one.
//
// Each note's clean, parse and graph extract are kept, keyed by the hash
// of its bytes, and made again only when the bytes change (or, for every
// note, when the catalog does: an extract depends on its note and the
// catalog alone). A graph.Merger merges again only what the changed
// notes have a part in and says what changed (graph.Delta), from which a
// site.Renderer indexes the graph again and makes again only the pages
// whose inputs changed. Parsed ASTs are not kept: they are the largest
// part of a note in memory, and a page that must be made again parses its
// note again.
//
// A Builder is not safe for concurrent use.
type Builder struct {
	opts   Options
	parser *parse.Parser
	render *site.Renderer
	search []File        // the search index's files, made by the first build or SetSearch
	index  *search.Index // and the index, for Result.Search
	// searchStale says a build since the index was made changed what it
	// holds; builds counts the builds.
	searchStale bool
	builds      int
	// graph is the last build's graph.
	graph *graph.Graph

	notes   map[string]*noteEntry // by path in the content folder
	paths   []string              // the paths of notes, sorted, as the last build had them (sortedNotes)
	catalog [sha256.Size]byte     // hash of the catalog the knowledge was made from
	hasCat  bool
	know    *graph.Knowledge
	kdiags  diag.List
	merger  graph.Merger // merges again only what changed notes have a part in
	// spans holds each note's repairs as the last build gave them, in
	// path order; repairs is them joined (Repairs), for the spans
	// repairsOf.
	spans     []repairSpan
	repairs   []Repair
	repairsOf []repairSpan
	// redirects is the redirect table of graph, kept while the facts and
	// mentions, which say which entities it has, are the same slices (a
	// Merger keeps them when they do not change) and so is the catalog,
	// redirectsK: making it reads every mention.
	redirects      []byte
	redirectsK     *graph.Knowledge
	redirectsNamed map[string]bool // the entities the table was made for
	mentioned      map[string]int  // entity → notes of graph that mention it
	// afresh merges every note and indexes the graph afresh at each build,
	// which tests set to check the incremental merge and render against.
	afresh bool
	// deferSearch leaves the search index out of the first build, for
	// SearchRefresh to make (DeferSearch).
	deferSearch bool
	// cache is the note cache (UseCache), or nil; cacheErr says why its
	// file could not be read.
	cache    *noteCache
	cacheErr error
	// mergedCat and mergedHasCat are catalog and hasCat as merger last
	// merged with.
	mergedCat    [sha256.Size]byte
	mergedHasCat bool
}

// DeferSearch has the first Build make no search index: the index is
// then stale from the start, and SearchRefresh's job makes it. A live
// preview shows its pages seconds sooner this way on a large site, as the
// index costs as much as the rest of the first build.
func (b *Builder) DeferSearch() { b.deferSearch = true }

// MakeLater has the builds leave the pages of notes, entities, topics and
// comparisons unmade, with nil Data in Result.Files, until Page asks for
// one (site.Renderer.Later). A live preview serves a large site sooner
// so: at 10,000 notes those pages are most of the first build's work,
// and an author looks at a few of them.
func (b *Builder) MakeLater() { b.render.Later = true }

// Page makes a page that the last build left unmade (MakeLater) and
// returns its bytes and its diagnostics; the next build keeps it up to
// date as any page made. It reports false when the last build left no
// page of that path unmade.
func (b *Builder) Page(path string) ([]byte, []Diagnostic, bool) {
	return b.render.MakeLater(path)
}

// repairSpan is one note's part of Builder.repairs.
type repairSpan struct {
	path    string
	repairs []Repair
	entry   *noteEntry // whose repairs they are, which may be made later
}

// noteEntry is what the Builder keeps of one file of the notes folder.
type noteEntry struct {
	size    int64
	mtime   time.Time
	diags   diag.List // from reading the file: front matter, size, encoding
	note    *site.Note
	extract *graph.NoteExtract
	repairs []Repair
	// repairsLater says repairs are to be made when asked for (Repairs):
	// the note was taken from the note cache, which keeps their warnings
	// alone, as a preview shows no repairs.
	repairsLater bool
	// warnings are the diagnostics of the repairs.
	warnings diag.List
	// docs are the note's search documents, made while its AST is there;
	// or, for a note taken from the note cache, docsBlob holds them as
	// encodeDocs wrote them, read when an index is made.
	docs     []search.Doc
	docsBlob []byte
	// slug is the slug the note's path makes alone, "" until known: the
	// note's slug when no other note's path makes the same.
	slug string
	// cached is the note cache's entry for what the note is now, made
	// from the note or read from the cache file, and cacheKey its key,
	// of the catalog it was made with; nil without a cache.
	cached   *cacheEntry
	cacheKey notecache.Key
}

// Rebuild says how much work a build did.
type Rebuild struct {
	Notes    int // notes read, cleaned, parsed and extracted again
	Parsed   int // notes parsed again to make their pages: unchanged ones, and changed ones whose trees went (MakeLater)
	Rendered int // pages made again from their templates
	// Fragments counts the fragments of pages made again (a fact on a
	// service page) that were kept from their last making.
	Fragments int
	Pages     int // pages in the site
	// Changed lists the files whose bytes differ from the last build's;
	// Removed the files that are gone. AssetOnly lists the pages among
	// Changed that differ only in the hashed names of the assets they
	// link to, such as a new stylesheet.
	Changed, Removed, AssetOnly []string
	Catalog                     bool // the catalog was read again
	// SearchStale says the search index is the one of an earlier build:
	// it is built with the first build only, as it costs more than the
	// rest of a rebuild.
	SearchStale bool
	Duration    time.Duration
}

// NewBuilder returns a Builder for the site opts describes; its first
// Build builds everything.
func NewBuilder(opts Options) *Builder {
	return &Builder{opts: opts, parser: parse.New(), render: site.NewRenderer(), notes: map[string]*noteEntry{}}
}

// Build builds the site again. changed names the files that changed since
// the last Build, as paths on disk (or, for Options.Content, paths in that
// file system); nil means any file may have changed, and each note is
// then checked by its size and modification time. Like Build, it returns
// a *BuildError, and no files, when the input has errors.
func (b *Builder) Build(ctx context.Context, changed []string) (*Result, Rebuild, error) {
	start := time.Now()
	var rb Rebuild
	var stages []StageTime
	mark := start
	stage := func(name string) {
		now := time.Now()
		stages = append(stages, StageTime{name, now.Sub(mark)})
		mark = now
	}
	contentFS, release, err := b.opts.contentFS()
	if err != nil {
		return nil, rb, err
	}
	defer release()
	waitCache := b.readCache()
	if err := b.scan(contentFS, changed); err != nil {
		waitCache()
		return nil, rb, err
	}

	stage("source")

	// The catalog: read it again only when its bytes changed.
	catData, catErr := fs.ReadFile(contentFS, CatalogPath)
	sum := sha256.Sum256(catData)
	if b.know == nil || sum != b.catalog || (catErr == nil) != b.hasCat {
		b.know, b.kdiags = knowledgeOf(catData, catErr)
		b.catalog, b.hasCat = sum, catErr == nil
		for _, e := range b.notes {
			e.extract, e.cached = nil, nil
		}
		rb.Catalog = true
	}

	stage("catalog")

	// Notes whose bytes changed (or whose extract went with the catalog)
	// are cleaned, parsed and extracted again, in parallel.
	paths, entries := b.sortedNotes()
	var todo []*noteEntry
	for _, e := range entries {
		if e.note != nil && e.extract == nil {
			todo = append(todo, e)
		}
	}
	rb.Notes = len(todo)
	waitCache()
	hits := b.process(ctx, todo)
	if err := ctx.Err(); err != nil {
		return nil, rb, err
	}
	if c := b.cache; c != nil {
		if c.read != nil {
			c.hits, c.misses = hits, len(todo)-hits
			c.read = nil // the first build took what it needs
		}
		// A note made afresh, or one gone: the file is not what the
		// notes are now.
		n := 0
		for _, e := range entries {
			if e.cached != nil {
				n++
			}
		}
		if hits < len(todo) || n != c.count {
			c.made++
		}
	}

	stage("notes")

	var diags diag.List
	notes := make([]*site.Note, 0, len(paths))
	extracts := make([]*graph.NoteExtract, 0, len(paths))
	spans := make([]repairSpan, 0, len(paths))
	for i, p := range paths {
		e := entries[i]
		diags = append(diags, e.diags...)
		if e.note == nil {
			continue
		}
		// The notes' search documents need their ASTs, which only a
		// build that read them has: each note's are kept for the index to
		// be made again later (SearchRefresh).
		if e.docs == nil && e.docsBlob == nil && e.note.Doc != nil {
			e.docs = noteSearchDocs(e.note)
		}
		notes = append(notes, e.note)
		extracts = append(extracts, e.extract)
		diags = append(diags, e.warnings...)
		spans = append(spans, repairSpan{p, e.repairs, e})
	}
	b.spans = spans
	diags = append(diags, b.kdiags...)
	var g *graph.Graph
	var delta graph.Delta
	if b.afresh {
		g = graph.Merge(extracts, b.know)
	} else {
		b.reuseMerges()
		g, delta = b.merger.Merge(extracts, b.know), b.merger.Delta()
		b.mergedCat, b.mergedHasCat = b.catalog, b.hasCat
		if c := b.cache; c != nil && c.reusing {
			reused, merged := b.merger.Reused()
			c.reused, c.reusing = reused, false
			// A merge made afresh (a file of merges broken, or none, or
			// one of a note made afresh) is to be written.
			if reused < merged {
				c.made++
			}
		}
	}

	stage("graph")

	// The search index needs every note's AST, which only the first
	// build has; it is built alongside the rendering, as Build does.
	type indexed struct {
		ix    *search.Index
		files []File
		took  time.Duration
	}
	b.builds++
	if b.graph != nil && (rb.Notes > 0 || rb.Catalog || len(g.Notes) != len(b.graph.Notes)) {
		b.searchStale = true
	}
	if b.search == nil && b.deferSearch {
		b.searchStale = true
	}
	var indexDone chan indexed
	if b.search == nil && !b.deferSearch {
		indexDone = make(chan indexed, 1)
		gdocs, parts := graphSearchDocs(g), b.noteDocs()
		go func() {
			begin := time.Now()
			var out indexed
			if ix, err := search.Build(joinSearchDocs(gdocs, parts.read())); err == nil {
				if files, err := ix.Export(); err == nil {
					out.ix = ix
					for _, f := range files {
						out.files = append(out.files, File{Path: f.Path, Data: f.Data})
					}
				}
			}
			out.took = time.Since(begin)
			indexDone <- out
		}()
	}
	rb.SearchStale = b.searchStale

	files, sdiags, st := b.render.RenderDelta(b.parser, notes, g, delta, b.opts.siteOptions())
	for _, n := range notes {
		n.Doc = nil // see Builder: ASTs are not kept
	}
	stage("site")
	if indexDone != nil {
		idx := <-indexDone
		b.search, b.index = idx.files, idx.ix
		stages = append(stages, StageTime{"search", idx.took})
	}
	// One slice for all: the search index has more files than the pages.
	all := make([]File, 0, len(files)+len(b.search)+1)
	all = append(all, files...)
	all = append(all, b.search...)
	files = append(all, File{Path: "_redirects", Data: b.redirectTable(g, delta)})
	b.graph = g
	diags = append(diags, sdiags...)
	diags.Sort()
	rb.Parsed, rb.Rendered, rb.Pages, rb.Fragments = st.Parsed, st.Rendered, st.Pages, st.Fragments
	rb.Changed, rb.Removed, rb.AssetOnly = st.Changed, st.Removed, st.AssetOnly
	rb.Duration = time.Since(start)

	res := &Result{Diagnostics: diags, Graph: g, index: b.index}
	res.Stats = Stats{Notes: len(notes), Duration: rb.Duration, Stages: stages}
	if diags.HasErrors() {
		return res, rb, diags.Err()
	}
	res.Files = files
	for _, f := range files {
		res.Stats.Bytes += int64(len(f.Data))
		if strings.HasSuffix(f.Path, ".html") {
			res.Stats.Pages++
		}
	}
	return res, rb, nil
}

// sortedNotes returns the paths of b.notes in order and their entries.
// The paths are the last build's while the notes are the same ones: at
// 10,000 notes, gathering and sorting them on every edit cost more than
// the one look at the map per note that tells.
func (b *Builder) sortedNotes() ([]string, []*noteEntry) {
	entries := make([]*noteEntry, 0, len(b.notes))
	if len(b.paths) == len(b.notes) {
		for _, p := range b.paths {
			e := b.notes[p]
			if e == nil {
				break
			}
			entries = append(entries, e)
		}
		if len(entries) == len(b.paths) {
			return b.paths, entries
		}
	}
	paths := make([]string, 0, len(b.notes))
	for p := range b.notes {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	entries = entries[:0]
	for _, p := range paths {
		entries = append(entries, b.notes[p])
	}
	b.paths = paths
	return paths, entries
}

// ErrNoSearchIndex is the error of a search of a build that made no index
// (see Builder.DeferSearch).
var ErrNoSearchIndex = errors.New("the build made no search index")

// SearchIndex is a search index made by SearchRefresh: its client files
// and Bleve's index, for Search.
type SearchIndex struct {
	Files []File
	ix    *search.Index
	build int // the Builder's build it holds the content of
}

// Search answers q with Bleve on the index.
func (s *SearchIndex) Search(q string, limit int) ([]SearchHit, error) {
	if s == nil || s.ix == nil {
		return nil, ErrNoSearchIndex
	}
	return s.ix.Search(q, limit)
}

// Close releases the index's Bleve index; searches of it fail after.
func (s *SearchIndex) Close() error {
	if s == nil || s.ix == nil {
		return nil
	}
	return s.ix.Close()
}

// SearchRefresh returns, when a build since the search index was made
// changed what it holds, a job that makes the index again from what the
// last build read: the notes' documents it kept and the graph. The job
// reads nothing the Builder changes, so it may run while the Builder
// builds again; SetSearch then takes its result. Nil: the index is up to
// date. It is apart from Build because at 10,000 notes it takes several
// seconds, more than the rest of a rebuild.
func (b *Builder) SearchRefresh() func(context.Context) (*SearchIndex, error) {
	if !b.searchStale || b.graph == nil {
		return nil
	}
	g, build, parts := b.graph, b.builds, b.noteDocs()
	return func(ctx context.Context) (*SearchIndex, error) {
		ix, err := search.BuildContext(ctx, joinSearchDocs(graphSearchDocs(g), parts.read()))
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			_ = ix.Close()
			return nil, err
		}
		out, err := ix.Export()
		if err != nil {
			_ = ix.Close()
			return nil, err
		}
		s := &SearchIndex{ix: ix, build: build}
		for _, f := range out {
			s.Files = append(s.Files, File{Path: f.Path, Data: f.Data})
		}
		return s, nil
	}
}

// noteDocs returns the search documents of each note, in path order, as
// the entries hold them.
func (b *Builder) noteDocs() docParts {
	_, entries := b.sortedNotes()
	parts := make(docParts, 0, len(entries))
	for _, e := range entries {
		if e.note != nil {
			parts = append(parts, docPart{e.docs, e.docsBlob})
		}
	}
	return parts
}

// docPart is one note's search documents: docs, or their bytes in the
// note cache (encodeDocs).
type docPart struct {
	docs []search.Doc
	blob []byte
}

// docParts are the notes' search documents, in path order.
type docParts []docPart

// read returns the documents of each part, reading those in bytes on
// every core; it changes no part, so that the index made in the
// background reads nothing a build writes. Bytes that cannot be read
// give no documents: the index lacks that note until it changes.
func (ps docParts) read() [][]search.Doc {
	out := make([][]search.Doc, len(ps))
	par.ForEach(len(ps), func(i int) {
		if ps[i].blob == nil {
			out[i] = ps[i].docs
			return
		}
		out[i], _ = decodeDocs(ps[i].blob)
	})
	return out
}

// SetSearch makes s, from a job of SearchRefresh, the search index of
// the builds from now on. The index is up to date unless a build came
// after the one the job was made from.
func (b *Builder) SetSearch(s *SearchIndex) {
	if s == nil {
		return
	}
	b.search, b.index = s.Files, s.ix
	if s.build == b.builds {
		b.searchStale = false
	}
}

// redirectTable returns redirects(g, ...), made again only when g's facts
// or mentions are not those of the graph it was last made of. Which
// entities notes mention is counted note by note, and counted again after
// an edit only for the notes d names: a large site has a million mentions.
func (b *Builder) redirectTable(g *graph.Graph, d graph.Delta) []byte {
	last := b.graph
	if last != nil && b.redirectsK == b.know && sameSlice(g.Facts, last.Facts) && graph.SameMentions(g, last) {
		return b.redirects
	}
	// A Merger's graphs hold each note's mentions (Graph.NoteMentions).
	if last == nil || b.redirectsK != b.know || d.From != last || b.mentioned == nil {
		b.mentioned = mentionCounts(g)
	} else {
		for i, n := range last.Notes {
			if d.Notes[n.ID] {
				mentionedBy(b.mentioned, last.NoteMentions[i], -1)
			}
		}
		for i, n := range g.Notes {
			if d.Notes[n.ID] {
				mentionedBy(b.mentioned, g.NoteMentions[i], 1)
			}
		}
	}
	// The table lists the entities that have pages, by the catalog's
	// names: the same ones from the same catalog make the same table.
	named := namedEntities(g, b.mentioned)
	if b.redirects != nil && b.redirectsK == b.know && maps.Equal(named, b.redirectsNamed) {
		return b.redirects
	}
	b.redirects = redirects(g, b.opts.BaseURL, named)
	b.redirectsK, b.redirectsNamed = b.know, named
	return b.redirects
}

// sameSlice reports whether a and b are one slice: the same elements in
// the same memory.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// Repairs returns every note's repairs as the last Build gave them, in
// path order: what Result.Repairs holds after the package's Build. A
// Builder's Build leaves Result.Repairs nil, as a live preview lists no
// repairs: joining those of a large site after every edit cost a rebuild
// more than the rest of its bookkeeping (a site of typo-ridden notes has a
// hundred repairs a note). Repairs joins them when asked, and only when a
// note's changed since it last did. Like Build, it must not run beside
// another call: it makes the repairs of notes taken from the note cache.
func (b *Builder) Repairs() []Repair {
	spans := b.spans
	// The repairs of notes taken from the note cache, which keeps only
	// their warnings, are made now, on every core.
	var later []int
	for i, sp := range spans {
		if sp.entry != nil && sp.entry.repairsLater {
			later = append(later, i)
		}
	}
	par.ForEach(len(later), func(j int) {
		sp := &spans[later[j]]
		src := sp.entry.note.Source
		n := &site.Note{Source: src, Clean: site.CleanSource(src)}
		n.Doc = b.parser.Parse(n.Clean.Text, parse.Options{Format: n.Clean.Format})
		sp.repairs = noteRepairs(n)
	})
	for _, i := range later {
		spans[i].entry.repairs, spans[i].entry.repairsLater = spans[i].repairs, false
	}
	same := b.repairsOf != nil && len(spans) == len(b.repairsOf)
	for i := 0; same && i < len(spans); i++ {
		a, o := spans[i].repairs, b.repairsOf[i].repairs
		same = spans[i].path == b.repairsOf[i].path && len(a) == len(o) &&
			(len(a) == 0 || &a[0] == &o[0] || slices.Equal(a, o))
	}
	if !same {
		n := 0
		for _, sp := range spans {
			n += len(sp.repairs)
		}
		b.repairs = nil
		if n > 0 {
			b.repairs = make([]Repair, 0, n)
		}
		for _, sp := range spans {
			b.repairs = append(b.repairs, sp.repairs...)
		}
	}
	b.repairsOf = spans
	return b.repairs
}

// process cleans, parses and extracts the notes of todo, in parallel:
// each depends on its note and the catalog alone. It takes what it can
// from the note cache's file, and returns how many notes it took.
func (b *Builder) process(ctx context.Context, todo []*noteEntry) int {
	var hits atomic.Int64
	useCache := b.cache != nil
	par.ForEach(len(todo), func(i int) {
		if ctx.Err() != nil {
			return
		}
		e := todo[i]
		e.cached = nil
		if useCache && b.fromCache(e) {
			hits.Add(1)
			return
		}
		// A note taken from the note cache, read again after a catalog
		// edit, has its search documents as bytes: they are made again
		// from the tree here, so that its new entry holds them.
		x, docs, repairs := readNote(b.parser, e.note, b.know, e.docs == nil)
		e.extract, e.repairs, e.repairsLater = x, repairs, false
		e.warnings = repairWarnings(e.repairs)
		if docs != nil {
			e.docs = docs
		}
		e.docsBlob = nil
		// Pages made when asked for parse their notes again: what the
		// render needs of the tree is read now, and the tree goes, so
		// that the first build of a preview never holds every note's.
		// So does a build with a note cache, whose entries hold what the
		// render needs instead of the tree, and whose pages parse their
		// notes again, as gen build's do.
		if b.render.Later || useCache {
			e.note.Prep = site.Prepare(e.note)
			e.note.Doc = nil
			if useCache {
				b.toCache(e)
			}
		}
	})
	return int(hits.Load())
}

// readNote cleans and parses d where it has no text or tree yet, and
// reads from its tree what every build makes of a note: its extract with
// the catalog k, its repairs and, with withDocs, its search documents.
// The tree is as it was: site.Prepare, which changes it, comes after.
func readNote(p *parse.Parser, d *site.Note, k *graph.Knowledge, withDocs bool) (*graph.NoteExtract, []search.Doc, []Repair) {
	n := d.Source
	if d.Clean == nil {
		d.Clean = site.CleanSource(n)
	}
	if d.Doc == nil {
		d.Doc = p.Parse(d.Clean.Text, parse.Options{Format: d.Clean.Format})
	}
	x := graph.Extract(graph.Input{ID: n.ID, Path: n.Path, Title: d.Title(), Raw: n.Raw, Clean: d.Clean, Doc: d.Doc}, k)
	var docs []search.Doc
	if withDocs {
		docs = noteSearchDocs(d)
	}
	return x, docs, noteRepairs(d)
}

// repairWarnings returns the warnings a note's repairs call for: an
// invalid UTF-8 byte is one, as the text shown is not what was written.
func repairWarnings(repairs []Repair) diag.List {
	var out diag.List
	for _, r := range repairs {
		if r.Rule == "utf8" {
			out.Warnf(r.Path, r.Line, "utf8", "invalid UTF-8 byte %s replaced with U+FFFD", r.Before)
		}
	}
	return out
}

// noteRepairs lists what the cleaner and the parser changed in a note, as
// Build does.
func noteRepairs(d *site.Note) []Repair {
	var out []Repair
	for _, r := range d.Clean.Repairs {
		out = append(out, Repair{Path: d.Source.Path, Line: r.Line, Rule: r.Rule, Before: r.Before, After: r.After})
	}
	// Headings the parser recovered (a heading without its space, an
	// "=== X ===" line, a title line, a heading inside a list item), cut
	// annotations and pasted tables are repairs too, made by goldmark
	// extensions rather than the cleaner.
	for _, h := range parse.Headings(d.Doc) {
		line := d.Clean.RawLine(h.Offset)
		if h.Rule != "" {
			out = append(out, Repair{Path: d.Source.Path, Line: line, Rule: h.Rule, Before: rawLine(d.Source.Raw, line),
				After: strings.Repeat("#", h.Level) + " " + h.Text})
		}
		if h.Annotation != "" {
			out = append(out, Repair{Path: d.Source.Path, Line: line, Rule: "annotation",
				Before: h.Raw, After: h.Text + " {" + h.Annotation + "}"})
		}
	}
	for _, off := range parse.RecoveredTables(d.Doc) {
		line := d.Clean.RawLine(off)
		out = append(out, Repair{Path: d.Source.Path, Line: line, Rule: "pipe-table", Before: rawLine(d.Source.Raw, line), After: "table"})
	}
	slices.SortStableFunc(out, func(a, b Repair) int { return a.Line - b.Line })
	return out
}

// scan brings the kept notes up to date with the content folder: the
// files of changed, or, when changed is nil, every file whose size or
// modification time differs.
func (b *Builder) scan(fsys fs.FS, changed []string) error {
	root := "notes"
	if fi, err := fs.Stat(fsys, root); err != nil || !fi.IsDir() {
		root = "."
	}
	inRoot := func(p string) bool { return root == "." || p == root || strings.HasPrefix(p, root+"/") }

	var reload []string
	added := false
	for _, c := range changed {
		if p, ok := b.contentPath(c); ok && p == "." {
			changed = nil // the whole folder (events were lost): look at every file
			break
		}
	}
	if changed == nil || len(b.notes) == 0 {
		seen := map[string]bool{}
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // source.Load reports it
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !source.IsNoteName(d.Name()) {
				return nil
			}
			seen[p] = true
			e := b.notes[p]
			if e == nil {
				added = true
				reload = append(reload, p)
				return nil
			}
			if fi, err := d.Info(); err != nil || fi.Size() != e.size || !fi.ModTime().Equal(e.mtime) {
				reload = append(reload, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for p := range b.notes {
			if !seen[p] {
				delete(b.notes, p)
				added = true
			}
		}
	} else {
		for _, c := range changed {
			p, ok := b.contentPath(c)
			if !ok || !inRoot(p) || p == CatalogPath {
				continue
			}
			fi, err := fs.Stat(fsys, p)
			switch {
			case err != nil:
				// Gone: the note, or every note of a folder that went.
				for q := range b.notes {
					if q == p || strings.HasPrefix(q, p+"/") {
						delete(b.notes, q)
						added = true
					}
				}
			case fi.IsDir():
				// A folder came (made, or moved in) or changed as a whole:
				// its notes are read, and those no longer in it dropped.
				seen := map[string]bool{}
				_ = fs.WalkDir(fsys, p, func(q string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && source.IsNoteName(d.Name()) && !hiddenPath(q) {
						if b.notes[q] == nil {
							added = true
						}
						seen[q] = true
						reload = append(reload, q)
					}
					return nil
				})
				for q := range b.notes {
					if strings.HasPrefix(q, p+"/") && !seen[q] {
						delete(b.notes, q)
						added = true
					}
				}
			case source.IsNoteName(path.Base(p)) && !hiddenPath(p):
				if b.notes[p] == nil {
					added = true
				}
				reload = append(reload, p)
			}
		}
	}
	if len(reload) == 0 && !added {
		return nil
	}
	slices.Sort(reload)
	reload = slices.Compact(reload)

	// The changed files are read by source.Load, from a file system of
	// their own, so each is read as a whole build reads it.
	mini := fstest.MapFS{}
	infos := map[string]fs.FileInfo{}
	// keptSlug says whether every note read again had its own slug (the
	// one of its path) before: then, with no note added or gone, the
	// notes' slugs stay unique if each keeps its own.
	keptSlug := !added
	// The files are read on every core: at 10,000 notes, one at a time
	// took most of a second.
	type read struct {
		fi      fs.FileInfo
		statErr error
		data    []byte
		readErr error
		same    bool // the bytes are those of the note kept
	}
	reads := make([]read, len(reload))
	par.ForEach(len(reload), func(i int) {
		r := &reads[i]
		if r.fi, r.statErr = fs.Stat(fsys, reload[i]); r.statErr != nil {
			return
		}
		if r.data, r.readErr = fs.ReadFile(fsys, reload[i]); r.readErr != nil {
			return
		}
		old := b.notes[reload[i]] // read alone while the files are read
		r.same = old != nil && old.note != nil && old.note.Source.Hash == sha256.Sum256(r.data)
	})
	for i, p := range reload {
		fi, data := reads[i].fi, reads[i].data
		if reads[i].statErr != nil {
			delete(b.notes, p)
			continue
		}
		if err := reads[i].readErr; err != nil {
			b.notes[p] = &noteEntry{diags: diag.List{{Path: p, Severity: diag.Error, Rule: "read", Msg: "cannot read: " + err.Error()}}}
			continue
		}
		if old := b.notes[p]; reads[i].same {
			old.size, old.mtime = fi.Size(), fi.ModTime() // touched, not changed
			continue
		}
		if old := b.notes[p]; old == nil || old.note == nil || old.slug == "" || old.note.Source.Slug != old.slug {
			keptSlug = false
		}
		mini[p] = &fstest.MapFile{Data: data, Mode: fi.Mode().Perm(), ModTime: fi.ModTime()}
		infos[p] = fi
	}
	if root == "notes" {
		mini["notes"] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	}
	loaded, ldiags := source.Load(mini, source.Options{MaxNoteSize: b.opts.MaxNoteSize})
	for p := range infos {
		b.notes[p] = &noteEntry{size: infos[p].Size(), mtime: infos[p].ModTime()}
	}
	for _, d := range ldiags {
		if e := b.notes[d.Path]; e != nil {
			e.diags = append(e.diags, d)
		}
	}
	for _, n := range loaded {
		if e := b.notes[n.Path]; e != nil {
			e.note = &site.Note{Source: n}
		}
	}

	// Slugs are unique across notes; source.Load gives a clash a numbered
	// slug in path order. A note read alone cannot know of a clash, so on
	// a clash every note is read again, by one Load of all. After an edit
	// of notes that keep their slugs, only they are looked at: a set of
	// 10,000 slugs made on every edit cost 7 ms.
	pathSlug := func(p string, e *noteEntry) string {
		if e.slug == "" {
			e.slug = source.Slugify(strings.TrimSuffix(strings.TrimPrefix(p, "notes/"), path.Ext(p)))
		}
		return e.slug
	}
	if keptSlug {
		for p := range infos {
			if e := b.notes[p]; e.note != nil && e.note.Source.Slug != pathSlug(p, e) {
				keptSlug = false
			}
		}
		if keptSlug {
			return nil
		}
	}
	slugs := map[string]bool{}
	for p, e := range b.notes {
		if e.note == nil {
			continue
		}
		pathSlug(p, e)
		s := e.slug
		if s == "" || slugs[s] || e.note.Source.Slug != s {
			return b.loadAll(fsys)
		}
		slugs[s] = true
	}
	return nil
}

// loadAll reads every note with one source.Load, keeping what was made of
// the notes whose bytes and ids are unchanged.
func (b *Builder) loadAll(fsys fs.FS) error {
	loaded, ldiags := source.Load(fsys, source.Options{MaxNoteSize: b.opts.MaxNoteSize})
	old := b.notes
	b.notes = map[string]*noteEntry{}
	entry := func(p string) *noteEntry {
		e := b.notes[p]
		if e == nil {
			e = &noteEntry{}
			if fi, err := fs.Stat(fsys, p); err == nil {
				e.size, e.mtime = fi.Size(), fi.ModTime()
			}
			b.notes[p] = e
		}
		return e
	}
	for _, n := range loaded {
		e := entry(n.Path)
		if o := old[n.Path]; o != nil && o.note != nil && o.note.Source.Hash == n.Hash && o.note.Source.ID == n.ID {
			// The AST is gone: the search documents made from it are kept.
			e.note, e.extract, e.repairs, e.repairsLater, e.warnings, e.docs, e.docsBlob = o.note, o.extract, o.repairs, o.repairsLater, o.warnings, o.docs, o.docsBlob
			e.cached, e.cacheKey = o.cached, o.cacheKey
			continue
		}
		e.note = &site.Note{Source: n}
	}
	for _, d := range ldiags {
		e := entry(d.Path)
		e.diags = append(e.diags, d)
	}
	return nil
}

// contentPath turns a changed file's path into its path in the content
// folder, or reports that it is outside it.
func (b *Builder) contentPath(p string) (string, bool) {
	if b.opts.Content != nil {
		p = path.Clean(filepath.ToSlash(p))
		return p, fs.ValidPath(p)
	}
	dir, err := filepath.Abs(b.opts.contentDir())
	if err != nil {
		return "", false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, fs.ValidPath(rel)
}

func hiddenPath(p string) bool {
	for _, s := range strings.Split(p, "/") {
		if strings.HasPrefix(s, ".") {
			return true
		}
	}
	return false
}

// WatchRoots returns the folders a live preview watches for the site of
// opts: the content folder, and the templates and assets folders beside
// it (which may not exist yet). It is empty when opts.Content is set.
func (o Options) WatchRoots() []string {
	if o.Content != nil {
		return nil
	}
	roots := []string{o.contentDir()}
	siteDir := o.SiteDir
	if siteDir == "" {
		siteDir = filepath.Dir(filepath.Clean(o.contentDir()))
	}
	if o.Templates == nil {
		roots = append(roots, filepath.Join(siteDir, "templates"))
	}
	if o.Assets == nil {
		roots = append(roots, filepath.Join(siteDir, "assets"))
	}
	return roots
}
