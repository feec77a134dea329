package site

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/overlay"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/source"
)

// notesFrom loads, cleans and parses the notes of fsys as a build does.
func notesFrom(t *testing.T, p *parse.Parser, fsys fstest.MapFS) []*Note {
	t.Helper()
	srcs, diags := source.Load(fsys, source.Options{})
	if diags.HasErrors() {
		t.Fatalf("source: %v", diags)
	}
	var notes []*Note
	for _, n := range srcs {
		c := clean.Clean(n.Body, clean.Options{FirstLine: n.BodyLine, FirstOff: n.BodyStart, FrontMatter: n.HasFront})
		notes = append(notes, &Note{Source: n, Clean: c, Doc: p.Parse(c.Text, parse.Options{Format: c.Format})})
	}
	return notes
}

func note(t *testing.T, name, text string) *Note {
	t.Helper()
	return notesFrom(t, parse.New(), fstest.MapFS{name: {Data: []byte(text)}})[0]
}

func TestTitle(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"notes/a.md", "---\ntitle: From front matter\n---\n# A heading\n", "From front matter"},
		{"notes/a.md", "---\ntitle: ''\n---\n# A heading\n", "A heading"},
		{"notes/a.md", "Intro text.\n\n## Second level first\n\n# Then first level\n", "Second level first"},
		{"notes/a.md", "Heading *with* `code`\n===\n", "Heading with code"},
		{"notes/sub/plain words.txt", "just a sentence, no heading.\n", "plain words"},
		{"notes/empty.markdown", "", "empty"},
	}
	for _, tt := range tests {
		if got := note(t, tt.name, tt.text).Title(); got != tt.want {
			t.Errorf("Title of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	long := strings.Repeat("Kinesis Data Streams keeps records in shards. ", 8)
	tests := []struct{ text, want string }{
		{"# Title\n\nFirst paragraph.\n\nSecond one.\n", "First paragraph. Second one."},
		{"First paragraph.\n\n## Heading\n\n- a list item\n\nAfter the list.\n", "First paragraph. After the list."},
		{"# Only a heading\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := describe(note(t, "n.md", tt.text)); got != tt.want {
			t.Errorf("describe(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	// A long text is cut at a space, ends with an ellipsis and stays valid
	// UTF-8 whatever the text holds.
	for _, text := range []string{long, strings.Repeat("é", 200), strings.Repeat("x", 300)} {
		got := describe(note(t, "n.md", "# T\n\n"+text+"\n"))
		if !strings.HasSuffix(got, "…") || len(got) > 160 || !utf8.ValidString(got) {
			t.Errorf("describe of a long text = %q (%d bytes)", got, len(got))
		}
	}
}

func TestRewriteLinks(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{
		"notes/a.md":          {Data: []byte("# A\n")},
		"notes/my note.md":    {Data: []byte("# Mine\n")},
		"notes/sub/z.md":      {Data: []byte("# Z\n")},
		"notes/sub/deep/y.md": {Data: []byte("# Y\n")},
	})
	bySource := map[string]*Note{}
	for _, n := range notes {
		bySource[n.Source.Path] = n
	}
	tests := []struct {
		from, dest, want string
		warnLine         int
	}{
		{"notes/a.md", "sub/z.md", "sub-z.html", 0},
		{"notes/a.md", "sub/z.md#part", "sub-z.html#part", 0},
		{"notes/a.md", "./sub/deep/y.md", "sub-deep-y.html", 0},
		{"notes/a.md", "my%20note.md", "my-note.html", 0},
		{"notes/a.md", "SUB/Z.md", "SUB/Z.md", 3},
		{"notes/sub/z.md", "../a.md", "a.html", 0},
		{"notes/sub/z.md", "deep/y.md#top", "sub-deep-y.html#top", 0},
		{"notes/sub/deep/y.md", "../../a.md", "a.html", 0},
		{"notes/a.md", "missing.md", "missing.md", 3},
		{"notes/a.md", "https://example.org/x.md", "https://example.org/x.md", 0},
		{"notes/a.md", "/notes/a.md", "/notes/a.md", 0},
		{"notes/a.md", "#local", "#local", 0},
		{"notes/a.md", "image.png", "image.png", 0},
		{"notes/a.md", "mailto:a@b.c", "mailto:a@b.c", 0},
	}
	for _, tt := range tests {
		src := *bySource[tt.from].Source
		text := "# From\n\n[link](" + tt.dest + ")\n"
		src.Raw, src.Body = []byte(text), []byte(text)
		c := clean.Clean(src.Body, clean.Options{FirstLine: 1})
		n := &Note{Source: &src, Clean: c, Doc: p.Parse(c.Text, parse.Options{Format: c.Format})}
		var diags diag.List
		rewriteLinks(n, bySource, &diags)
		var b strings.Builder
		if err := p.Render(&b, n.Doc); err != nil {
			t.Fatal(err)
		}
		if want := `href="` + escapeURL(tt.want) + `"`; !strings.Contains(b.String(), want) {
			t.Errorf("%s: [link](%s) rendered as %s, want %s", tt.from, tt.dest, strings.TrimSpace(b.String()), want)
		}
		switch {
		case tt.warnLine == 0 && len(diags) > 0:
			t.Errorf("%s: [link](%s): unexpected %v", tt.from, tt.dest, diags)
		case tt.warnLine > 0 && (len(diags) != 1 || diags[0].Line != tt.warnLine || diags[0].Path != tt.from || diags[0].Severity != diag.Warning):
			t.Errorf("%s: [link](%s): diagnostics %v, want a warning at line %d", tt.from, tt.dest, diags, tt.warnLine)
		}
	}
}

func escapeURL(s string) string { return strings.ReplaceAll(s, " ", "%20") }

func TestNormalizeBase(t *testing.T) {
	tests := []struct{ in, base, path string }{
		{"", "/", "/"},
		{"/", "/", "/"},
		{"/sub", "/sub/", "/sub/"},
		{"/sub/", "/sub/", "/sub/"},
		{"https://example.org", "https://example.org/", "/"},
		{"https://example.org/aws", "https://example.org/aws/", "/aws/"},
		{"https://example.org/aws/", "https://example.org/aws/", "/aws/"},
	}
	for _, tt := range tests {
		base, path := normalizeBase(tt.in)
		if base != tt.base || path != tt.path {
			t.Errorf("normalizeBase(%q) = %q, %q; want %q, %q", tt.in, base, path, tt.base, tt.path)
		}
	}
}

func TestRel(t *testing.T) {
	tests := []struct{ root, target, want string }{
		{"", "index.html", "index.html"},
		{"", "notes/a.html", "notes/a.html"},
		{"../", "index.html", "../index.html"},
		{"../", "notes/a.html", "../notes/a.html"},
		{"/sub/", "index.html", "/sub/index.html"},
	}
	for _, tt := range tests {
		if got := (&Page{root: tt.root}).Rel(tt.target); got != tt.want {
			t.Errorf("Rel(%q) from %q = %q, want %q", tt.target, tt.root, got, tt.want)
		}
	}
}

func TestLineCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"", 0}, {"a", 1}, {"a\n", 1}, {"a\nb", 2}, {"\n\n", 2}, {"a\r\nb\r\n", 2}}
	for _, tt := range tests {
		if got := lineCount([]byte(tt.in)); got != tt.want {
			t.Errorf("lineCount(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestBuild(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{
		"notes/a.md":     {Data: []byte("# Alpha\n\nSee [b](sub/b.md).\n")},
		"notes/sub/b.md": {Data: []byte("# Beta & co\n")},
	})
	files, diags := render(p, notes, nil, Options{BaseURL: "https://example.org/a&b/", Templates: gen.Templates(), Assets: gen.Assets()})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	byPath := map[string]string{}
	for _, f := range files {
		if _, dup := byPath[f.Path]; dup {
			t.Errorf("two files at %s", f.Path)
		}
		byPath[f.Path] = string(f.Data)
	}
	for _, p := range []string{"index.html", "notes/a.html", "notes/sub-b.html", "404.html", "sitemap.xml"} {
		if _, ok := byPath[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	// The sitemap is XML: an & in the base URL must be escaped.
	if sm := byPath["sitemap.xml"]; !strings.Contains(sm, "<loc>https://example.org/a&amp;b/notes/a.html</loc>") {
		t.Errorf("sitemap.xml:\n%s", sm)
	}
	if !strings.Contains(byPath["notes/a.html"], `href="sub-b.html"`) {
		t.Errorf("notes/a.html does not link to notes/sub-b.html")
	}
}

func TestBuildTemplateErrors(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{"notes/a.md": {Data: []byte("# A\n")}})
	base, _ := gen.Templates().(interface {
		ReadFile(string) ([]byte, error)
	}).ReadFile("base.html")
	templates := func(files map[string]string) fstest.MapFS {
		m := fstest.MapFS{"base.html": {Data: base}}
		for name, text := range files {
			m[name] = &fstest.MapFile{Data: []byte(text)}
		}
		return m
	}
	main := `{{define "main"}}x{{end}}`
	tests := []struct {
		name  string
		tmpl  fstest.MapFS
		path  string
		piece string
	}{
		{"missing", templates(map[string]string{"home.html": main, "note.html": main}), "templates", "404.html"},
		{"syntax", templates(map[string]string{"home.html": main, "note.html": "{{define \"main\"}}{{.Nope", "404.html": main}), "templates", "note.html"},
		{"execution", templates(map[string]string{"home.html": main, "note.html": `{{define "main"}}{{.Nope}}{{end}}`, "404.html": main}), "templates/note.html", "Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := render(p, notes, nil, Options{Templates: tt.tmpl, Assets: gen.Assets()})
			if !diags.HasErrors() {
				t.Fatalf("no error")
			}
			d := diags[0]
			if d.Path != tt.path || !strings.Contains(d.Msg, tt.piece) {
				t.Errorf("diagnostic %v, want one at %s about %q", d, tt.path, tt.piece)
			}
		})
	}
}

func TestSourcesListed(t *testing.T) {
	src := func(note, text string) graph.Source { return graph.Source{Note: note, Line: 1, Text: text} }
	many := func(n int, text func(i int) string) []graph.Source {
		var out []graph.Source
		for i := range n {
			out = append(out, src(fmt.Sprintf("n%03d", i), text(i)))
		}
		return out
	}
	tests := []struct {
		name      string
		in        []graph.Source
		wantNotes []string // the notes listed, in order
		more      int      // the count of the closing entry; 0 for none
	}{
		{"few: all, in order", many(3, func(int) string { return "same" }), []string{"n000", "n001", "n002"}, 0},
		{"exactly the limit", many(listedSources, func(int) string { return "same" }),
			[]string{"n000", "n001", "n002", "n003", "n004", "n005", "n006", "n007", "n008", "n009"}, 0},
		{"one wording: the first ones", many(25, func(int) string { return "same" }),
			[]string{"n000", "n001", "n002", "n003", "n004", "n005", "n006", "n007", "n008", "n009"}, 15},
		{"each wording before a repeat", many(25, func(i int) string {
			if i%8 == 0 {
				return fmt.Sprint("wording ", i)
			}
			return "common"
		}), []string{"n000", "n001", "n002", "n003", "n004", "n005", "n006", "n008", "n016", "n024"}, 15},
	}
	l := &linker{x: &index{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.sources(tt.in)
			var notes []string
			more := 0
			for i, s := range got {
				if s.More > 0 {
					if i != len(got)-1 {
						t.Errorf("the count of the rest is entry %d of %d", i, len(got))
					}
					more = s.More
					continue
				}
				notes = append(notes, s.Note)
			}
			if !slices.Equal(notes, tt.wantNotes) || more != tt.more {
				t.Errorf("listed %v and %d more, want %v and %d more", notes, more, tt.wantNotes, tt.more)
			}
		})
	}
}

// TestBuildAssetErrors checks that a script with a syntax error fails the
// build with its path and line, and that scripts and stylesheets are
// written minified.
func TestBuildAssetErrors(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{"notes/a.md": {Data: []byte("# A\n")}})
	assets := overlay.New(fstest.MapFS{"gen.js": {Data: []byte("var ok = 1;\nfunction (\n")}}, gen.Assets())
	_, diags := render(p, notes, nil, Options{Templates: gen.Templates(), Assets: assets})
	if !diags.HasErrors() {
		t.Fatal("no error for a script with a syntax error")
	}
	if d := diags[0]; d.Path != "assets/gen.js" || d.Line != 2 {
		t.Errorf("diagnostic %v, want one at assets/gen.js:2", d)
	}

	files, diags := render(p, notes, nil, Options{Templates: gen.Templates(), Assets: gen.Assets()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	seen := 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, "assets/style.") || strings.HasPrefix(f.Path, "assets/search/search.") {
			seen++
			if bytes.Contains(f.Data, []byte("\n  ")) {
				t.Errorf("%s is not minified", f.Path)
			}
		}
	}
	if seen != 2 {
		t.Errorf("found %d of the 2 assets looked for", seen)
	}
}

// TestPartialCached checks the templates' partialCached: made once per set
// of variants, so that pages with the same variants show the same bytes
// (the first page's, here, as its variants leave the title out), pages with
// other variants their own, and a failing partial is the page's error.
func TestPartialCached(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{
		"notes/a.md":     {Data: []byte("# Alpha\n")},
		"notes/b.md":     {Data: []byte("# Beta\n")},
		"notes/sub/c.md": {Data: []byte("# Gamma\n")},
	})
	base := `{{define "base"}}[{{partialCached "p" . .Root}}|{{partialCached "p" . .Root .Title}}]{{block "main" .}}{{end}}{{end}}` +
		`{{define "p"}}{{.Root}}{{.Title}}{{end}}`
	tmpl := fstest.MapFS{"base.html": {Data: []byte(base)}}
	for _, k := range []string{"home", "note", "404"} {
		tmpl[k+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}`)}
	}
	files, diags := render(p, notes, nil, Options{Templates: tmpl, Assets: gen.Assets()})
	if diags.HasErrors() {
		t.Fatalf("diagnostics: %v", diags)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Data)
	}
	a, b := got["notes/a.html"], got["notes/b.html"]
	if !strings.HasPrefix(a, "[../") || a[:strings.Index(a, "|")] != b[:strings.Index(b, "|")] {
		t.Errorf("pages of one folder made the partial apart: %q and %q", a, b)
	}
	if !strings.Contains(a, "|../Alpha]") || !strings.Contains(b, "|../Beta]") {
		t.Errorf("a variant of its own did not make the partial again: %q and %q", a, b)
	}
	if home := got["index.html"]; strings.HasPrefix(home, "[../") {
		t.Errorf("the home page, at another depth, got a note's partial: %q", home)
	}

	tmpl["base.html"] = &fstest.MapFile{Data: []byte(`{{define "base"}}{{partialCached "p" . .Root}}{{end}}{{define "p"}}{{.Nope}}{{end}}`)}
	if _, diags := render(p, notes, nil, Options{Templates: tmpl, Assets: gen.Assets()}); !diags.HasErrors() || !strings.Contains(diags[0].Msg, "Nope") {
		t.Errorf("a failing partial: %v", diags)
	}
}

// TestCategoryHashCoversViews fails when a field is added to the views a
// page's key hashes (hasher.category, hasher.link, hasher.entity) without
// being hashed: a page would then not be made again when the field
// changes.
func TestCategoryHashCoversViews(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{CategoryView{}, 8}, {MemberView{}, 4}, {Link{}, 6}, {graph.Entity{}, 9},
		// and the views that Page.Fragment keys (fragmentKey)
		{FactView{}, 6}, {SourceView{}, 5}, {TableView{}, 7}, {RowView{}, 3}, {CellView{}, 4}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields, the hasher hashes %d: hash the new ones", c.v, n, c.want)
		}
	}
	// Each field of an entity changes its hash.
	seed := maphash.MakeSeed()
	h := func(e graph.Entity) uint64 {
		x := &hasher{}
		x.h.SetSeed(seed)
		x.entity(&e)
		return x.sum()
	}
	base := graph.Entity{ID: "a", Name: "A", Kind: "service", Category: "c", Parent: "p", Summary: "s", Docs: "d",
		Aliases: []string{"x"}, Formerly: []string{"y"}}
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		e := base
		f := reflect.ValueOf(&e).Elem().Field(i)
		if f.Kind() == reflect.String {
			f.SetString(f.String() + "!")
		} else {
			f.Set(reflect.ValueOf([]string{"x", "z"}))
		}
		if h(e) == h(base) {
			t.Errorf("hasher.entity leaves out %s", v.Type().Field(i).Name)
		}
	}
	// A name moved from the aliases to the former names is another entity.
	moved := base
	moved.Aliases, moved.Formerly = nil, []string{"x", "y"}
	if h(moved) == h(base) {
		t.Error("hasher.entity does not tell aliases from former names")
	}
}

func TestPickSources(t *testing.T) {
	src := func(texts ...string) []graph.Source {
		var ss []graph.Source
		for i, tx := range texts {
			ss = append(ss, graph.Source{Note: fmt.Sprint("n", i), Line: i + 1, Text: tx})
		}
		return ss
	}
	many := func(n int, text string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = text
		}
		return out
	}
	late := append(many(wordingScan, "same"), "other")
	tests := []struct {
		name   string
		ss     []graph.Source
		picked []int
		more   int
	}{
		{"few", src("a", "a", "b"), []int{0, 1, 2}, 0},
		{"distinct first", src(append([]string{"a", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}, many(5, "k")...)...), []int{0, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 6},
		// Two wordings: each once, then the first sources not picked.
		{"two wordings", src(append(many(20, "a"), "b")...), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 20}, 11},
		// A wording past wordingScan is not looked for.
		{"late wording", src(late...), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, len(late) - listedSources},
	}
	for _, tt := range tests {
		picked, more := pickSources(tt.ss)
		if !slices.Equal(picked, tt.picked) || more != tt.more {
			t.Errorf("%s: %v, %d; want %v, %d", tt.name, picked, more, tt.picked, tt.more)
		}
	}
}

// render makes every page of a site with a new Renderer, as gen build
// does.
func render(p *parse.Parser, notes []*Note, g *graph.Graph, opts Options) ([]output.File, diag.List) {
	files, diags, _ := NewRenderer().Render(p, notes, g, opts)
	return files, diags
}
