package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/overlay"
	"github.com/gen-site/gen/generator/internal/site"
	"golang.org/x/tools/txtar"
)

// rebuildSite is the site of testdata/rebuild/site.txtar in file systems
// a test can change: content, and a site's own templates and assets over
// the embedded ones.
type rebuildSite struct {
	content, templates, assets fstest.MapFS
	opts                       Options
}

func newRebuildSite(t *testing.T) *rebuildSite {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "rebuild", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	s := &rebuildSite{content: fstest.MapFS{}, templates: fstest.MapFS{}, assets: fstest.MapFS{}}
	for _, f := range a.Files {
		s.content[f.Name] = &fstest.MapFile{Data: f.Data, ModTime: time.Unix(1, 0)}
	}
	s.opts = Options{Content: s.content, Templates: overlay.New(s.templates, gen.Templates()),
		Assets: overlay.New(s.assets, gen.Assets())}
	return s
}

// write changes a file as an editor does: new bytes and a new time.
func write(m fstest.MapFS, name, data string) {
	var mt time.Time
	if f := m[name]; f != nil {
		mt = f.ModTime
	}
	m[name] = &fstest.MapFile{Data: []byte(data), ModTime: mt.Add(time.Second)}
}

func edit(t *testing.T, m fstest.MapFS, name, old, new string) {
	t.Helper()
	f := m[name]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s has no %q", name, old)
	}
	write(m, name, strings.Replace(string(f.Data), old, new, 1))
}

// TestBuilderRebuild edits one input at a time and checks how much work
// each rebuild did (notes re-read, pages made again), which pages changed,
// and that the site equals what a full build makes of the same input.
func TestBuilderRebuild(t *testing.T) {
	s := newRebuildSite(t)
	b := NewBuilder(s.opts)
	ctx := context.Background()

	type want struct {
		notes, rendered int
		changed         []string // HTML pages whose bytes changed; nil: do not check
		files           []string // other files that must be among the changed
		assetOnly       int
		removed         []string
		// fragments: "some" when pages made again must take facts kept
		// from their last making, "none" when they must not; "" either.
		fragments string
	}
	steps := []struct {
		name    string
		change  func() []string
		want    want
		renders []string // pages that must be among those made again
	}{
		{"first build", func() []string { return nil }, want{notes: 5, rendered: 16}, nil},
		{"nothing changed", func() []string { return []string{} }, want{changed: []string{}}, nil},
		{"touched, same bytes", func() []string {
			write(s.content, "notes/misc.md", string(s.content["notes/misc.md"].Data))
			return []string{"notes/misc.md"}
		}, want{changed: []string{}}, nil},
		{"text without names", func() []string {
			edit(t, s.content, "notes/misc.md", "at all.", "at all, still.")
			return []string{"notes/misc.md"}
		}, want{notes: 1, rendered: 1, changed: []string{"notes/misc.html"}}, nil},
		{"a fact changes", func() []string {
			edit(t, s.content, "notes/kinesis.md", "24 hours", "7 days")
			return []string{"notes/kinesis.md"}
		}, want{notes: 1, rendered: 2, changed: []string{"notes/kinesis.html", "services/kinesis-data-streams.html"}, fragments: "some"}, nil},
		{"a new fact", func() []string {
			edit(t, s.content, "notes/queues.md", "256 KB", "256 KB\n- SQS has standard and FIFO queues")
			return []string{"notes/queues.md"}
			// SQS now has one more fact: its page, the note, and the home
			// and category pages that count facts change. The pages that
			// only link to SQS (intro.html, graph.html) stay as they were:
			// its count is in data/previews.js, which changes instead.
		}, want{notes: 1, rendered: 4, changed: []string{"categories/collection.html", "index.html",
			"notes/queues.html", "services/sqs.html"}, files: []string{"data/previews.js"}}, nil},
		{"note template", func() []string {
			write(s.templates, "note.html", strings.Replace(string(mustRead(t, gen.Templates(), "note.html")), "</article>", "<p>edited</p></article>", 1))
			return []string{"templates/note.html"}
		}, want{rendered: 5}, nil},
		// Every page is made from base.html, and the entity pages from
		// partials.html too: kept templates must not hide such an edit.
		{"base template", func() []string {
			write(s.templates, "base.html", strings.Replace(string(mustRead(t, gen.Templates(), "base.html")), `<a class="brand"`, `<a class="brand" data-edited`, 1))
			return []string{"templates/base.html"}
		}, want{rendered: 16}, []string{"index.html", "notes/misc.html"}},
		{"partials template", func() []string {
			partials := strings.Replace(string(mustRead(t, gen.Templates(), "partials.html")), `">Home</a>`, `">Start</a>`, 1)
			write(s.templates, "partials.html", strings.Replace(partials, `<li class="fact">`, `<li class="fact" data-edited>`, 1))
			return []string{"templates/partials.html"}
		}, want{rendered: 16, fragments: "none"}, []string{"services/s3.html"}},
		{"stylesheet", func() []string {
			write(s.assets, "style.css", string(mustRead(t, gen.Assets(), "style.css"))+"\nbody{color:red}\n")
			return []string{"assets/style.css"}
		}, want{rendered: 0, assetOnly: 16}, nil},
		{"catalog entry", func() []string {
			edit(t, s.content, "catalog.yaml", "summary: Block volumes.", "summary: Block volumes for EC2.")
			return []string{"catalog.yaml"}
			// Every note is extracted again, so every note page is made
			// again (none changes); of the others, those that show EBS's
			// summary. Pages that only link to EBS keep their bytes: the
			// summary of a hover preview is in data/previews.js.
		}, want{notes: 5, rendered: 8, changed: []string{"categories/storage.html", "services/ebs.html"},
			files: []string{"data/previews.js"}}, nil},
		{"new note", func() []string {
			write(s.content, "notes/new.md", "# New\n\nS3 again: S3 stores objects up to 5 TB\n")
			return []string{"notes/new.md"}
			// The note, the home page that lists it, and S3's page and
			// category, which count its new fact; no page shows the
			// number of notes but the home page.
		}, want{notes: 1, rendered: 4, changed: []string{"categories/storage.html", "index.html", "notes/new.html", "services/s3.html"}},
			[]string{"notes/new.html", "index.html", "services/s3.html"}},
		{"deleted note", func() []string {
			delete(s.content, "notes/misc.md")
			return []string{"notes/misc.md"}
		}, want{notes: 0, rendered: 1, changed: []string{"index.html"}, removed: []string{"notes/misc.html"}}, []string{"index.html"}},
		// Only storage.md names EBS: its redirects go with its section and
		// come back with it (the full build below checks _redirects).
		{"a name goes", func() []string {
			edit(t, s.content, "notes/storage.md", "## EBS\n\n- EBS volumes attach to one instance\n", "")
			return []string{"notes/storage.md"}
		}, want{notes: 1, rendered: -1}, nil},
		{"and comes back", func() []string {
			write(s.content, "notes/storage.md", string(s.content["notes/storage.md"].Data)+"## EBS\n\n- EBS volumes attach to one instance\n")
			return []string{"notes/storage.md"}
		}, want{notes: 1, rendered: -1}, nil},
	}
	for _, st := range steps {
		changed := st.change()
		res, rb, err := b.Build(ctx, changed)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		t.Logf("%-20s notes %d, parsed %d, rendered %d of %d pages, %d fragments kept, changed %v", st.name, rb.Notes, rb.Parsed, rb.Rendered, rb.Pages, rb.Fragments, htmlOnly(rb.Changed))
		if rb.Notes != st.want.notes {
			t.Errorf("%s: %d notes read again, want %d", st.name, rb.Notes, st.want.notes)
		}
		if st.want.rendered >= 0 && rb.Rendered != st.want.rendered {
			t.Errorf("%s: %d pages made again, want %d", st.name, rb.Rendered, st.want.rendered)
		}
		if st.want.changed != nil && !slices.Equal(htmlOnly(rb.Changed), st.want.changed) {
			t.Errorf("%s: changed pages %v, want %v", st.name, htmlOnly(rb.Changed), st.want.changed)
		}
		for _, f := range st.want.files {
			if !slices.Contains(rb.Changed, f) {
				t.Errorf("%s: %s did not change (changed %v)", st.name, f, rb.Changed)
			}
		}
		if st.want.fragments == "some" && rb.Fragments == 0 || st.want.fragments == "none" && rb.Fragments != 0 {
			t.Errorf("%s: %d fragments kept from the last making, want %s", st.name, rb.Fragments, st.want.fragments)
		}
		if len(rb.AssetOnly) != st.want.assetOnly {
			t.Errorf("%s: %d pages changed only in asset names, want %d", st.name, len(rb.AssetOnly), st.want.assetOnly)
		}
		for _, p := range st.want.removed {
			if !slices.Contains(rb.Removed, p) {
				t.Errorf("%s: %s not removed (removed %v)", st.name, p, rb.Removed)
			}
		}
		for _, p := range st.renders {
			if !slices.Contains(rb.Changed, p) {
				t.Errorf("%s: %s did not change (changed %v)", st.name, p, rb.Changed)
			}
		}
		// Whatever was skipped, the site must be what a full build makes.
		full, err := Build(ctx, s.opts)
		if err != nil {
			t.Fatalf("%s: full build: %v", st.name, err)
		}
		sameFiles(t, st.name, res.Files, full.Files)
	}
}

// TestBuilderError checks that a note with broken front matter fails a
// rebuild with its line, and that fixing it builds again.
func TestBuilderError(t *testing.T) {
	s := newRebuildSite(t)
	b := NewBuilder(s.opts)
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	good := string(s.content["notes/queues.md"].Data)
	write(s.content, "notes/queues.md", "---\ntitle: [unclosed\n---\n"+good)
	res, _, err := b.Build(ctx, []string{"notes/queues.md"})
	if err == nil {
		t.Fatal("broken front matter built")
	}
	if res == nil || len(res.Files) != 0 || !strings.Contains(err.Error(), "notes/queues.md:") {
		t.Fatalf("error %v, want one naming notes/queues.md", err)
	}
	write(s.content, "notes/queues.md", good)
	res, rb, err := b.Build(ctx, []string{"notes/queues.md"})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Notes != 1 {
		t.Errorf("%d notes read again, want 1", rb.Notes)
	}
	full, _ := Build(ctx, s.opts)
	sameFiles(t, "fixed", res.Files, full.Files)
}

func mustRead(t *testing.T, fsys fs.FS, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func htmlOnly(paths []string) []string {
	out := []string{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".html") {
			out = append(out, p)
		}
	}
	return out
}

func sameFiles(t *testing.T, step string, got, want []File) {
	t.Helper()
	g := map[string][]byte{}
	for _, f := range got {
		g[f.Path] = f.Data
	}
	for _, f := range want {
		if strings.HasPrefix(f.Path, "search/") {
			delete(g, f.Path) // see Rebuild.SearchStale
			continue
		}
		d, ok := g[f.Path]
		if !ok {
			t.Errorf("%s: %s missing", step, f.Path)
			continue
		}
		if !bytes.Equal(d, f.Data) {
			t.Errorf("%s: %s differs from a full build:\n%s", step, f.Path, firstDiff(d, f.Data))
		}
		delete(g, f.Path)
	}
	for p := range g {
		if !strings.HasPrefix(p, "search/") {
			t.Errorf("%s: %s made, but not by a full build", step, p)
		}
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return "incremental: …" + string(a[from:min(len(a), i+120)]) + "\nfull:        …" + string(b[from:min(len(b), i+120)])
}

// TestBuilderFolders moves a folder of notes on disk, as a file manager
// does, and checks that the rebuild drops the old pages and makes the new
// ones; then it names the whole content folder as changed, as the
// watcher does when the system lost events.
func TestBuilderFolders(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	for name, text := range map[string]string{
		"notes/a.md":     "# A\n\nSee [b](sub/b.md).\n",
		"notes/sub/b.md": "# B\n",
		"notes/sub/c.md": "# C\n",
	} {
		p := filepath.Join(content, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{ContentDir: content}
	b := NewBuilder(opts)
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	from, to := filepath.Join(content, "notes", "sub"), filepath.Join(content, "notes", "moved")
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "notes", "a.md"), []byte("# A\n\nSee [b](moved/b.md).\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, rb, err := b.Build(ctx, []string{from, to, filepath.Join(content, "notes", "a.md")})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Notes != 3 || !slices.Contains(rb.Removed, "notes/sub-b.html") || !slices.Contains(rb.Changed, "notes/moved-c.html") {
		t.Errorf("after the move: %d notes read, removed %v, changed %v", rb.Notes, rb.Removed, rb.Changed)
	}
	full, err := Build(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "moved", res.Files, full.Files)

	if err := os.Remove(filepath.Join(to, "c.md")); err != nil {
		t.Fatal(err)
	}
	res, rb, err = b.Build(ctx, []string{content})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rb.Removed, "notes/moved-c.html") {
		t.Errorf("a full look missed a deleted note: removed %v", rb.Removed)
	}
	full, _ = Build(ctx, opts)
	sameFiles(t, "full look", res.Files, full.Files)
}

// TestBuilderDelta edits the bundled notes in the ways that change what
// pages show of other notes (lines that move, a title, mentions that come
// and go, facts, comparisons, alternatives, links between notes, notes
// that come and go) and checks that a Builder, which merges and indexes
// again only what the edited notes have a part in, makes again the same
// pages as one that merges and indexes everything afresh, and the site a
// full build makes.
func TestBuilderDelta(t *testing.T) {
	content := fstest.MapFS{}
	root := filepath.Join("..", "content")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		// The largest note, of 110 KB, would only make the test slow.
		if err != nil || d.IsDir() || d.Name() == "003_f9dd710ae31eb546.txt" {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		content[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, ModTime: time.Unix(1, 0)}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const (
		migration = "notes/000_7e733d4959ebde4c.txt"
		streams   = "notes/001_44dfe3ed37be8538.txt"
		collect   = "notes/002_a5d224fdf6118754.txt"
		storage   = "notes/004_7235ff98d3537bbe.txt"
	)
	// Links to a line that moved, or to a note that went, are warnings,
	// as in a live preview.
	opts := Options{Content: content, BrokenLinksWarn: true}
	incremental, afresh := NewBuilder(opts), NewBuilder(opts)
	afresh.afresh = true
	ctx := context.Background()
	var want *Result
	steps := []struct {
		name   string
		change func() []string
	}{
		{"first build", func() []string { return nil }},
		{"lines move", func() []string {
			edit(t, content, streams, "### Kinesis Data Stream vs Fireshose", "A line of text.\n\n### Kinesis Data Stream vs Fireshose")
			return []string{streams}
		}},
		{"a title", func() []string {
			edit(t, content, collect, "title: 'Collection: Moving data into AWS'", "title: 'Collection: moving data in'")
			return []string{collect}
		}},
		{"a mention comes", func() []string {
			edit(t, content, migration, "Bridge between on-premise data and cloud data", "Bridge between on-premise data and cloud data, often into Redshift")
			return []string{migration}
		}},
		{"a fact", func() []string {
			edit(t, content, storage, "- durable (99.999999999%)", "- durable (99.999999999%)\n- S3 objects can be up to 5 TB")
			return []string{storage}
		}},
		{"a comparison row", func() []string {
			edit(t, content, streams, " * must manage scaling", " * must manage scaling\n * ordering per shard")
			return []string{streams}
		}},
		{"an alternative", func() []string {
			edit(t, content, collect, "## Introduction", "## Introduction\n\n- SQS is an alternative to Kinesis Data Streams")
			return []string{collect}
		}},
		{"a link to a line", func() []string {
			edit(t, content, migration, "## Use cases", "See [the streams](001_44dfe3ed37be8538.txt#L190).\n\n## Use cases")
			return []string{migration}
		}},
		{"a new note", func() []string {
			write(content, "notes/005_new.md", "# Queues and streams\n\n- SQS keeps messages up to 14 days\n- Kinesis Data Streams keeps records for 24 hours by default\n\nSee [collection](002_a5d224fdf6118754.txt).\n")
			return []string{"notes/005_new.md"}
		}},
		{"the alternative goes", func() []string {
			edit(t, content, collect, "\n- SQS is an alternative to Kinesis Data Streams", "")
			return []string{collect}
		}},
		{"a mention goes", func() []string {
			edit(t, content, migration, ", often into Redshift", "")
			return []string{migration}
		}},
		{"two notes at once", func() []string {
			edit(t, content, migration, "## Storage Gateway", "First SQS, then S3.\n\n## Storage Gateway")
			edit(t, content, storage, "S3 lifecycle", "Amazon S3 lifecycle")
			return []string{migration, storage}
		}},
		{"a note goes", func() []string {
			delete(content, "notes/005_new.md")
			return []string{"notes/005_new.md"}
		}},
		{"a note moves", func() []string {
			content["notes/sub/002.txt"] = content[collect]
			delete(content, collect)
			return []string{collect, "notes/sub/002.txt"}
		}},
		{"the linked note goes", func() []string {
			data := content[streams].Data
			delete(content, streams)
			t.Cleanup(func() { content[streams] = &fstest.MapFile{Data: data} })
			return []string{streams}
		}},
	}
	for _, st := range steps {
		changed := st.change()
		res, rb, err := incremental.Build(ctx, changed)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var wantRB Rebuild
		want, wantRB, err = afresh.Build(ctx, changed)
		if err != nil {
			t.Fatalf("%s: afresh: %v", st.name, err)
		}
		t.Logf("%-22s notes %d, rendered %d of %d pages", st.name, rb.Notes, rb.Rendered, rb.Pages)
		if rb.Rendered != wantRB.Rendered || !slices.Equal(rb.Changed, wantRB.Changed) {
			t.Errorf("%s: rendered %d, changed %v; afresh rendered %d, changed %v", st.name,
				rb.Rendered, htmlOnly(rb.Changed), wantRB.Rendered, htmlOnly(wantRB.Changed))
		}
		sameFiles(t, st.name, res.Files, want.Files)
	}
	// TestBuilderRebuild checks rebuilds against full builds step by step;
	// here the last step will do.
	full, err := Build(ctx, opts)
	if err != nil {
		t.Fatalf("full build: %v", err)
	}
	sameFiles(t, "last step, full build", want.Files, full.Files)
}

// TestBuilderRepairs checks that a rebuild lists every note's repairs as
// a full build does, when notes change and when a new note's slug clashes
// with another's, which reads every note again.
func TestBuilderRepairs(t *testing.T) {
	s := newRebuildSite(t)
	write(s.content, "notes/typos.md", "#Typos\n\nText.\n\n##Second\n")
	b := NewBuilder(s.opts)
	ctx := context.Background()
	steps := []struct {
		name   string
		change func() []string
	}{
		{"first build", func() []string { return nil }},
		{"another note", func() []string {
			edit(t, s.content, "notes/misc.md", "at all.", "at all, still.")
			return []string{"notes/misc.md"}
		}},
		{"a repair more", func() []string {
			edit(t, s.content, "notes/typos.md", "Text.", "Text.\n\n###Third")
			return []string{"notes/typos.md"}
		}},
		{"a slug clash", func() []string {
			write(s.content, "notes/typos.txt", "Typos again\n")
			return []string{"notes/typos.txt"}
		}},
		// While two notes share a slug, an edit of either, or of another
		// note, must keep the numbered slug where a full build puts it.
		{"the numbered note", func() []string {
			edit(t, s.content, "notes/typos.txt", "again", "once more")
			return []string{"notes/typos.txt"}
		}},
		{"the first of the two", func() []string {
			edit(t, s.content, "notes/typos.md", "Text.", "Text, edited.")
			return []string{"notes/typos.md"}
		}},
		{"a note beside them", func() []string {
			edit(t, s.content, "notes/misc.md", "at all, still.", "at all, still, again.")
			return []string{"notes/misc.md"}
		}},
		{"the clash goes", func() []string {
			delete(s.content, "notes/typos.txt")
			return []string{"notes/typos.txt"}
		}},
		{"an edit after it", func() []string {
			edit(t, s.content, "notes/typos.md", "Text, edited.", "Text, alone.")
			return []string{"notes/typos.md"}
		}},
	}
	for _, st := range steps {
		res, _, err := b.Build(ctx, st.change())
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		full, err := Build(ctx, s.opts)
		if err != nil {
			t.Fatalf("%s: full build: %v", st.name, err)
		}
		sameFiles(t, st.name, res.Files, full.Files)
		if res.Repairs != nil {
			t.Errorf("%s: a Builder's result lists repairs", st.name)
		}
		if got := b.Repairs(); len(full.Repairs) == 0 || !slices.Equal(got, full.Repairs) {
			t.Errorf("%s: repairs %v, want %v", st.name, got, full.Repairs)
		}
	}
}

// TestBuilderListPages checks the list pages of a site with more notes
// than the home page lists: the home page links to the list of all notes,
// which an edit that changes a note's length leaves alone and a new note
// changes.
func TestBuilderListPages(t *testing.T) {
	content := fstest.MapFS{}
	for i := 0; i <= site.HomeNotes; i++ {
		write(content, fmt.Sprintf("notes/n%03d.md", i), fmt.Sprintf("# Note %d\n\nSome text.\n", i))
	}
	b := NewBuilder(Options{Content: content, Templates: gen.Templates(), Assets: gen.Assets()})
	ctx := context.Background()
	res, _, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range res.Files {
		files[f.Path] = string(f.Data)
	}
	home, list := files["index.html"], files[site.NotesListPath]
	if got := strings.Count(home, `<li><a href="notes/n`); got != site.HomeNotes {
		t.Errorf("home page lists %d notes, want %d", got, site.HomeNotes)
	}
	if want := fmt.Sprintf(`href="%s">All %d notes</a>`, site.NotesListPath, site.HomeNotes+1); !strings.Contains(home, want) {
		t.Errorf("home page has no %q", want)
	}
	if got := strings.Count(list, `<li><a href="notes/n`); got != site.HomeNotes+1 {
		t.Errorf("%s lists %d notes, want %d", site.NotesListPath, got, site.HomeNotes+1)
	}
	if _, ok := files[site.ComparisonsListPath]; ok {
		t.Errorf("%s made for a site without comparisons", site.ComparisonsListPath)
	}

	steps := []struct {
		name    string
		note    string
		data    string
		changed []string
	}{
		{"a listed note grows", "notes/n000.md", "# Note 0\n\nSome text.\n\nMore text.\n", []string{"index.html", "notes/n000.html"}},
		{"an unlisted note grows", fmt.Sprintf("notes/n%03d.md", site.HomeNotes), fmt.Sprintf("# Note %d\n\nSome text.\n\nMore.\n", site.HomeNotes), []string{fmt.Sprintf("notes/n%03d.html", site.HomeNotes)}},
		{"a new note", "notes/zz.md", "# Last\n", []string{"index.html", site.NotesListPath, "notes/zz.html"}},
	}
	for _, st := range steps {
		write(content, st.note, st.data)
		_, rb, err := b.Build(ctx, []string{st.note})
		if err != nil {
			t.Fatal(err)
		}
		var html []string
		for _, p := range rb.Changed {
			if strings.HasSuffix(p, ".html") {
				html = append(html, p)
			}
		}
		slices.Sort(html)
		if !slices.Equal(html, st.changed) {
			t.Errorf("%s: changed pages %v, want %v", st.name, html, st.changed)
		}
		// Pages are made again only when what they show changed, or for
		// the new note: its neighbours in the note navigation.
		if rb.Rendered > len(st.changed)+2 {
			t.Errorf("%s: %d pages made again for %d changed", st.name, rb.Rendered, len(st.changed))
		}
	}
}

// TestBuilderTopicPages checks that a topic with more facts than an
// entity page lists gets a page of its own, and that a new fact makes
// the page of its own topic again but not those of the others.
func TestBuilderTopicPages(t *testing.T) {
	s := newRebuildSite(t)
	var note strings.Builder
	// Pricing first: the new limit is written at the end, so that no
	// line of a pricing fact moves (its sources cite their lines).
	note.WriteString("# Kinesis Data Streams\n\n## Pricing\n\n")
	for i := range site.TopicFacts + 5 {
		fmt.Fprintf(&note, "- a stream in region %d costs %d cents an hour\n", i, i+3)
	}
	note.WriteString("\n## Limits\n\n")
	for i := range site.TopicFacts + 5 {
		fmt.Fprintf(&note, "- a shard of class %d takes %d MB/s in\n", i, i+2)
	}
	write(s.content, "notes/big.md", note.String())
	b := NewBuilder(s.opts)
	ctx := context.Background()
	res, _, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range res.Files {
		files[f.Path] = string(f.Data)
	}
	// The facts under Pricing are of the topic overview: their wording
	// says nothing of prices.
	limits, pricing := "services/kinesis-data-streams/limits.html", "services/kinesis-data-streams/overview.html"
	for _, p := range []string{limits, pricing} {
		if got := strings.Count(files[p], `<li class="fact">`); got < site.TopicFacts+5 {
			t.Errorf("%s lists %d facts, want %d or more", p, got, site.TopicFacts+5)
		}
	}
	page := files["services/kinesis-data-streams.html"]
	if !strings.Contains(page, `kinesis-data-streams/limits.html"`) {
		t.Errorf("the entity page does not link to its limits page")
	}
	if got := strings.Count(page, `<li class="fact">`); got > 2*site.TopicFacts+8 {
		t.Errorf("the entity page lists %d facts", got)
	}

	write(s.content, "notes/big.md", note.String()+"- a shard of class 99 takes 101 MB/s in\n")
	_, rb, err := b.Build(ctx, []string{"notes/big.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rb.Changed, limits) {
		t.Errorf("%s did not change after a new limit (changed %v)", limits, rb.Changed)
	}
	if slices.Contains(rb.Changed, pricing) {
		t.Errorf("%s changed after a new limit", pricing)
	}
	if rb.Rendered > len(htmlOnly(rb.Changed))+1 {
		t.Errorf("%d pages made again for %d changed: %v", rb.Rendered, len(htmlOnly(rb.Changed)), rb.Changed)
	}
}

// TestBuilderRedirects checks that the redirects of an entity go when the
// last note that names it stops naming it, and come back with it.
func TestBuilderRedirects(t *testing.T) {
	s := newRebuildSite(t)
	b := NewBuilder(s.opts)
	ctx := context.Background()
	const line = "/services/elastic-block-store /services/ebs.html 301"
	has := func(step string, want bool) {
		t.Helper()
		res, _, err := b.Build(ctx, []string{"notes/storage.md"})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			if f.Path == "_redirects" {
				if got := strings.Contains(string(f.Data), line); got != want {
					t.Errorf("%s: redirect of EBS there: %v, want %v\n%s", step, got, want, f.Data)
				}
				return
			}
		}
		t.Fatalf("%s: no _redirects", step)
	}
	has("first build", true)
	edit(t, s.content, "notes/storage.md", "## EBS\n\n- EBS volumes attach to one instance\n", "")
	has("EBS named nowhere", false)
	write(s.content, "notes/storage.md", string(s.content["notes/storage.md"].Data)+"## EBS\n\n- EBS volumes attach to one instance\n")
	has("EBS back", true)
}

// TestBuilderSearchAfterReload checks that the search index made again
// after a slug clash, which reads every note again and keeps what was made
// of the unchanged ones, still holds those notes: their trees are gone by
// then, and only the search documents kept from them can say what they say.
func TestBuilderSearchAfterReload(t *testing.T) {
	s := newRebuildSite(t)
	write(s.content, "notes/zebra.md", "# Zebra\n\nStripes of a zanzibarian kind.\n")
	b := NewBuilder(s.opts)
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	write(s.content, "notes/zebra.txt", "Zebra again\n") // the same slug: every note is read again
	if _, _, err := b.Build(ctx, []string{"notes/zebra.txt"}); err != nil {
		t.Fatal(err)
	}
	job := b.SearchRefresh()
	if job == nil {
		t.Fatal("no search job after a new note")
	}
	ix, err := job(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search("zanzibarian", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || !strings.HasPrefix(hits[0].URL, "notes/zebra") {
		t.Errorf("the kept note is not found after the reload: %v", hits)
	}
}

// TestBuilderLater builds with MakeLater, as a live preview does: the
// pages of notes, entities, topics and comparisons are left unmade but for
// the first of each kind, a page asked for (Page) is made with what the
// last build knew, and from then on is made again by the builds its
// inputs change in. Each step's made pages, and every page asked for,
// must be what a full build makes.
func TestBuilderLater(t *testing.T) {
	s := newRebuildSite(t)
	b := NewBuilder(s.opts)
	b.MakeLater()
	ctx := context.Background()
	steps := []struct {
		name    string
		change  func() []string
		changed []string // pages that must be among those changed
		ask     []string // pages asked for after the build
		left    []string // pages that must be left unmade, no one having asked for them
	}{
		{"first build", func() []string { return nil }, nil, []string{"notes/kinesis.html", "services/sqs.html", "notes/misc.html"}, nil},
		{"a fact changes", func() []string {
			edit(t, s.content, "notes/kinesis.md", "24 hours", "7 days")
			return []string{"notes/kinesis.md"}
		}, []string{"notes/kinesis.html"}, []string{"services/kinesis-data-streams.html"}, nil},
		{"a new fact", func() []string {
			edit(t, s.content, "notes/queues.md", "256 KB", "256 KB\n- SQS has standard and FIFO queues")
			return []string{"notes/queues.md"}
			// The templates are those pages were made with: the busy
			// service's page, which no one asked for, is left unmade.
		}, []string{"services/sqs.html"}, nil, []string{"services/s3.html", "notes/queues.html"}},
		{"a note no one asked for", func() []string {
			edit(t, s.content, "notes/storage.md", "one instance", "one instance at a time")
			return []string{"notes/storage.md"}
		}, nil, []string{"notes/storage.html", "services/ebs.html"}, []string{"notes/storage.html"}},
		{"note template", func() []string {
			write(s.templates, "note.html", strings.Replace(string(mustRead(t, gen.Templates(), "note.html")), "</article>", "<p>edited</p></article>", 1))
			return []string{"templates/note.html"}
		}, []string{"notes/kinesis.html", "notes/storage.html"}, nil, nil},
		// Every note is read again, with the same bytes: the pages made
		// that show what the catalog changed must change.
		{"catalog entry", func() []string {
			edit(t, s.content, "catalog.yaml", "summary: Block volumes.", "summary: Block volumes for EC2.")
			return []string{"catalog.yaml"}
		}, []string{"services/ebs.html"}, []string{"categories/storage.html"}, nil},
		// A name that a note made before has, with its bytes unchanged:
		// its page must link the name now.
		{"a catalog name comes", func() []string {
			edit(t, s.content, "catalog.yaml", "aliases: [S3, Simple Storage Service]", "aliases: [S3, Simple Storage Service, catalog]")
			return []string{"catalog.yaml"}
		}, []string{"notes/misc.html"}, []string{"services/s3.html"}, nil},
		{"new note", func() []string {
			write(s.content, "notes/new.md", "# New\n\nS3 again: S3 stores objects up to 5 TB\n")
			return []string{"notes/new.md"}
		}, []string{"index.html"}, []string{"notes/new.html"}, nil},
		{"deleted note", func() []string {
			delete(s.content, "notes/misc.md")
			return []string{"notes/misc.md"}
		}, []string{"index.html"}, nil, nil},
	}
	for k, st := range steps {
		res, rb, err := b.Build(ctx, st.change())
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		full, err := Build(ctx, s.opts)
		if err != nil {
			t.Fatalf("%s: full build: %v", st.name, err)
		}
		want := map[string][]byte{}
		for _, f := range full.Files {
			want[f.Path] = f.Data
		}
		unmade := 0
		var made []File
		for _, f := range res.Files {
			if f.Data != nil {
				made = append(made, f)
				continue
			}
			unmade++
			if _, ok := want[f.Path]; !ok {
				t.Errorf("%s: %s left unmade, but a full build has no such page", st.name, f.Path)
			}
			if !strings.HasPrefix(f.Path, "notes/") && !strings.HasPrefix(f.Path, "services/") && !strings.HasPrefix(f.Path, "compare/") {
				t.Errorf("%s: %s left unmade", st.name, f.Path)
			}
			made = append(made, File{Path: f.Path, Data: want[f.Path]}) // for sameFiles: asked for below
		}
		t.Logf("%-24s rendered %d of %d pages, %d unmade, changed %v", st.name, rb.Rendered, rb.Pages, unmade, htmlOnly(rb.Changed))
		if k == 0 && (unmade == 0 || rb.Rendered >= rb.Pages) {
			t.Errorf("%s: %d pages left unmade, %d of %d made", st.name, unmade, rb.Rendered, rb.Pages)
		}
		sameFiles(t, st.name, made, full.Files)
		for _, p := range st.changed {
			if !slices.Contains(rb.Changed, p) {
				t.Errorf("%s: %s did not change (changed %v)", st.name, p, htmlOnly(rb.Changed))
			}
		}
		for _, p := range st.left {
			if i := slices.IndexFunc(res.Files, func(f File) bool { return f.Path == p }); i < 0 || res.Files[i].Data != nil {
				t.Errorf("%s: %s made, but no one asked for it", st.name, p)
			}
		}
		for _, p := range st.ask {
			data, diags, ok := b.Page(p)
			if !ok {
				// The first page of its kind that this build had to make
				// again, made to try its template.
				if i := slices.IndexFunc(res.Files, func(f File) bool { return f.Path == p }); i < 0 || res.Files[i].Data == nil {
					t.Errorf("%s: %s: neither made nor left unmade", st.name, p)
				}
				continue
			}
			if len(diags) > 0 {
				t.Errorf("%s: %s: %v", st.name, p, diags)
			}
			if !bytes.Equal(data, want[p]) {
				t.Errorf("%s: %s, made when asked for, differs from a full build:\n%s", st.name, p, firstDiff(data, want[p]))
			}
			if _, _, ok := b.Page(p); ok {
				t.Errorf("%s: %s made twice", st.name, p)
			}
		}
	}
	// Every page left, asked for now, is the full build's.
	res, _, err := b.Build(ctx, []string{})
	if err != nil {
		t.Fatal(err)
	}
	full, err := Build(ctx, s.opts)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := askUnmade(t, "every page asked for", b, res.Files)
	sameFiles(t, "every page asked for", all, full.Files)
}

// askUnmade asks b for every page that files leave unmade (nil Data), as
// a browser would, and returns files with those pages' bytes and how many
// there were. Each must be made, with no diagnostics.
func askUnmade(t *testing.T, step string, b *Builder, files []File) ([]File, int) {
	t.Helper()
	all := make([]File, 0, len(files))
	unmade := 0
	for _, f := range files {
		if f.Data == nil {
			unmade++
			data, diags, ok := b.Page(f.Path)
			if !ok || len(diags) > 0 {
				t.Errorf("%s: %s: made %v, %v", step, f.Path, ok, diags)
			}
			f.Data = data
		}
		all = append(all, f)
	}
	return all, unmade
}

// TestBuilderLaterAfterErrors breaks a template and then a note while
// pages are left unmade: no page is made from a build that failed, and
// once the error is fixed every page, made before or asked for now, is
// what a full build makes.
func TestBuilderLaterAfterErrors(t *testing.T) {
	s := newRebuildSite(t)
	b := NewBuilder(s.opts)
	b.MakeLater()
	ctx := context.Background()
	build := func(step string, changed []string, fails bool) []File {
		t.Helper()
		res, _, err := b.Build(ctx, changed)
		if (err != nil) != fails {
			t.Fatalf("%s: build error %v, want failure %v", step, err, fails)
		}
		if fails {
			return nil
		}
		return res.Files
	}
	// check asks for every page left unmade and compares the site with a
	// full build's.
	check := func(step string, files []File) {
		t.Helper()
		full, err := Build(ctx, s.opts)
		if err != nil {
			t.Fatalf("%s: full build: %v", step, err)
		}
		all, _ := askUnmade(t, step, b, files)
		sameFiles(t, step, all, full.Files)
	}
	build("first build", nil, false)
	if _, _, ok := b.Page("notes/kinesis.html"); !ok {
		t.Fatal("notes/kinesis.html was not left unmade")
	}
	note := string(mustRead(t, gen.Templates(), "note.html"))
	write(s.templates, "note.html", note+"{{end}}")
	build("broken template", []string{"templates/note.html"}, true)
	if data, _, ok := b.Page("notes/storage.html"); ok || data != nil {
		t.Errorf("a page was made while the templates are broken")
	}
	write(s.templates, "note.html", note)
	check("template fixed", build("template fixed", []string{"templates/note.html"}, false))

	good := string(s.content["notes/kinesis.md"].Data)
	write(s.content, "notes/kinesis.md", "---\ntitle: [\n---\n"+good)
	build("broken note", []string{"notes/kinesis.md"}, true)
	write(s.content, "notes/kinesis.md", good+"\nAnd one more line.\n")
	check("note fixed", build("note fixed", []string{"notes/kinesis.md"}, false))
}

// TestBuilderLaterBundled makes every page of the bundled notes, the
// messy ones a live preview must read, as gen serve does (MakeLater, each
// note's tree let go once read): every page is what a full build makes.
func TestBuilderLaterBundled(t *testing.T) {
	opts := Options{ContentDir: "../content", BaseURL: "http://127.0.0.1:1313/", BrokenLinksWarn: true}
	b := NewBuilder(opts)
	b.MakeLater()
	ctx := context.Background()
	res, _, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	full, err := Build(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	all, unmade := askUnmade(t, "bundled notes", b, res.Files)
	if unmade == 0 {
		t.Error("no page was left unmade")
	}
	sameFiles(t, "bundled notes", all, full.Files)
}
