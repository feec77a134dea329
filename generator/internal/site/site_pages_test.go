package site

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/htmltest"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/parse"
	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

// fixture loads testdata/pages.txtar and a graph made by hand that cites
// its lines, so page tests do not depend on extraction.
func fixture(t *testing.T) (*parse.Parser, []*Note, *graph.Graph) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/pages.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	p := parse.New()
	notes := notesFrom(t, p, fsys)
	const k, s = "n-kinesis", "n-streams"
	src := func(note string, line int, text string) graph.Source {
		return graph.Source{Note: note, Line: line, Text: text}
	}
	sp := func(v string) *string { return &v }
	g := &graph.Graph{
		Version: graph.Version,
		Notes:   []graph.Note{{ID: k, Path: "notes/kinesis.md"}, {ID: s, Path: "notes/streams.md"}},
		Entities: []graph.Entity{
			{ID: "collection", Name: "Collection", Kind: "category", Summary: "Getting data in."},
			{ID: "storage", Name: "Storage", Kind: "category"},
			{ID: "kinesis", Name: "Amazon Kinesis", Kind: "service", Category: "collection"},
			{ID: "kinesis-data-streams", Name: "Amazon Kinesis Data Streams", Kind: "service", Category: "collection",
				Parent: "kinesis", Aliases: []string{"KDS"}, Summary: "Real-time data streaming with shards.",
				Docs: "https://docs.aws.amazon.com/streams/latest/dev/introduction.html"},
			{ID: "kinesis-data-firehose", Name: "Amazon Data Firehose", Kind: "service", Category: "collection",
				Parent: "kinesis", Formerly: []string{"Kinesis Data Firehose"}, Summary: "Delivers streams to stores."},
			{ID: "s3", Name: "Amazon S3", Kind: "service", Category: "storage", Summary: "Object storage."},
			{ID: "redshift", Name: "Amazon Redshift", Kind: "service", Category: "analytics"},
			{ID: "glacier", Name: "Amazon S3 Glacier", Kind: "service", Category: "storage"},
		},
		Sections: []graph.Section{{Note: k, Line: 3, Level: 2, Heading: "Kinesis Data Streams", Entity: sp("kinesis-data-streams")}},
		Mentions: []graph.Mention{
			{Note: k, Line: 3, Text: "Kinesis Data Streams", Entity: "kinesis-data-streams", Sentence: "Kinesis Data Streams"},
			{Note: k, Line: 9, Text: "Kinesis Data Firehose", Entity: "kinesis-data-firehose", Sentence: "Kinesis Data Firehose delivers to S3."},
			{Note: k, Line: 9, Text: "S3", Entity: "s3", Sentence: "Kinesis Data Firehose delivers to S3."},
			{Note: k, Line: 12, Text: "kinesis", Entity: "kinesis"},
			{Note: s, Line: 3, Text: "KDS", Entity: "kinesis-data-streams", Sentence: "KDS keeps data up to 365 days."},
			{Note: s, Line: 4, Text: "Firehose", Entity: "kinesis-data-firehose", Sentence: "Firehose writes to S3 and Redshift."},
			{Note: s, Line: 4, Text: "S3", Entity: "s3", Sentence: "Firehose writes to S3 and Redshift."},
			{Note: s, Line: 4, Text: "Redshift", Entity: "redshift", Sentence: "Firehose writes to S3 and Redshift."},
		},
		Facts: []graph.Fact{
			{ID: "f-1", Entity: "kinesis-data-streams", Topic: "limits", Text: "1 MB/s or 1,000 records/s at write per shard",
				Sources: []graph.Source{src(k, 6, "1 MB/s or 1000 records/s at write per shard"), src(s, 3, "KDS keeps data")}, Notes: 2},
			{ID: "f-2", Entity: "kinesis-data-streams", Topic: "retention", Text: "Retention up to 7 days",
				Sources: []graph.Source{src(k, 5, "Retention is up to 7 days")}, Notes: 1},
			{ID: "f-3", Entity: "kinesis-data-streams", Topic: "producers", Text: "Producers: the KPL and Kinesis Agent",
				Sources: []graph.Source{src(k, 7, "Producers: the KPL and Kinesis Agent")}, Notes: 1},
			{ID: "f-4", Entity: "kinesis-data-streams", Topic: "", Text: "Put records with the CLI",
				Sources: []graph.Source{src(k, 12, "aws kinesis put-record")}, Notes: 1},
			{ID: "f-5", Entity: "kinesis-data-firehose", Topic: "destinations", Text: "Delivers to S3 and Redshift",
				Sources: []graph.Source{src(k, 9, "Kinesis Data Firehose delivers to S3."), src(s, 4, "Firehose writes to S3 and Redshift.")}, Notes: 2},
		},
		Conflicts: []graph.Conflict{{Entity: "kinesis-data-streams", Attribute: "retention", Values: []graph.ConflictValue{
			{Value: "up to 7 days", Sources: []graph.Source{src(k, 5, "")}},
			{Value: "up to 365 days", Sources: []graph.Source{src(s, 3, "")}},
		}}},
		Comparisons: []graph.Comparison{{
			ID: "kds-vs-firehose", Title: "Kinesis Data Streams vs Firehose", Kind: "explicit",
			Entities: []string{"kinesis-data-streams", "kinesis-data-firehose"},
			Rows: []graph.ComparisonRow{
				{Attribute: "latency", Cells: map[string]string{"kinesis-data-streams": "real time (~200 ms)", "kinesis-data-firehose": "near real time (60 s)"},
					Sources: map[string][]graph.Source{"kinesis-data-streams": {src(k, 6, "")}, "kinesis-data-firehose": {src(k, 9, "")}}},
				{Attribute: "retention", Cells: map[string]string{"kinesis-data-streams": "up to 365 days"}, Conflict: true,
					Sources: map[string][]graph.Source{"kinesis-data-streams": {src(s, 3, "")}}},
			},
			Sources: []graph.Source{src(k, 3, "")},
		}},
		Edges: []graph.Edge{
			{From: "kinesis-data-firehose", To: "s3", Kind: "destination", Weight: 2},
			{From: "kinesis-data-firehose", To: "redshift", Kind: "destination", Weight: 1},
			{From: "kinesis-data-streams", To: "kinesis", Kind: "part-of", Weight: 1},
			{From: "kinesis-data-firehose", To: "kinesis", Kind: "part-of", Weight: 1},
			{From: "kinesis-data-firehose", To: "kinesis-data-streams", Kind: "compares", Weight: 1},
			{From: "kinesis-data-streams", To: "collection", Kind: "category", Weight: 1},
		},
	}
	return p, notes, g
}

type site struct {
	t     *testing.T
	files map[string][]byte
	docs  map[string]*html.Node
	diags diag.List
}

func buildFixture(t *testing.T, opts Options) *site {
	t.Helper()
	p, notes, g := fixture(t)
	if opts.Templates == nil {
		opts.Templates, opts.Assets = gen.Templates(), gen.Assets()
	}
	opts.Title = "Test"
	files, diags := render(p, notes, g, opts)
	return newSite(t, files, diags)
}

func newSite(t *testing.T, files []output.File, diags diag.List) *site {
	s := &site{t: t, files: map[string][]byte{}, docs: map[string]*html.Node{}, diags: diags}
	for _, f := range files {
		s.files[f.Path] = f.Data
	}
	return s
}

func (s *site) page(p string) *html.Node {
	s.t.Helper()
	if d, ok := s.docs[p]; ok {
		return d
	}
	data, ok := s.files[p]
	if !ok {
		s.t.Fatalf("no page %s", p)
	}
	d := htmltest.Parse(data)
	s.docs[p] = d
	return d
}

// want checks that selector finds at least one element on page p, and
// that the first one's text contains text.
func (s *site) want(p, selector, text string) *html.Node {
	s.t.Helper()
	el := htmltest.First(s.page(p), selector)
	if el == nil {
		s.t.Errorf("%s: nothing matches %q", p, selector)
		return nil
	}
	if got := htmltest.Text(el); !strings.Contains(got, text) {
		s.t.Errorf("%s: %q has text %q, want it to contain %q", p, selector, got, text)
	}
	return el
}

func (s *site) none(p, selector string) {
	s.t.Helper()
	if el := htmltest.First(s.page(p), selector); el != nil {
		s.t.Errorf("%s: %q matches %q, want nothing", p, selector, htmltest.Text(el))
	}
}

func attr(el *html.Node, name string) string {
	if el == nil {
		return ""
	}
	v, _ := htmltest.Attr(el, name)
	return v
}

func TestPageKinds(t *testing.T) {
	s := buildFixture(t, Options{BaseURL: "https://example.org/aws/"})
	if len(s.diags) > 0 {
		t.Fatalf("diagnostics: %v", s.diags)
	}
	for _, p := range []string{
		"index.html", "404.html", "graph.html", "sitemap.xml", "robots.txt",
		"services/kinesis-data-streams.html", "services/kinesis-data-firehose.html", "services/s3.html",
		"services/glacier.html", "services/redshift.html", "services/kinesis.html",
		"categories/collection.html", "categories/storage.html", "categories/analytics.html",
		"comparisons/kds-vs-firehose.html", "notes/kinesis.html", "notes/streams.html",
	} {
		if _, ok := s.files[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	for p := range s.files {
		if strings.HasPrefix(p, "services/") && strings.Contains(p, "collection") {
			t.Errorf("a category has a service page: %s", p)
		}
	}
	if r := string(s.files["robots.txt"]); !strings.Contains(r, "Sitemap: https://example.org/aws/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", r)
	}
	if sm := string(s.files["sitemap.xml"]); !strings.Contains(sm, "<loc>https://example.org/aws/services/s3.html</loc>") ||
		strings.Contains(sm, "404.html") {
		t.Errorf("sitemap.xml:\n%s", sm)
	}
}

func TestHeadOfEveryPage(t *testing.T) {
	s := buildFixture(t, Options{BaseURL: "https://example.org/aws/"})
	for p := range s.files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		doc := s.page(p)
		title := htmltest.Text(htmltest.First(doc, "head title"))
		if !strings.HasSuffix(title, "Test") {
			t.Errorf("%s: title %q does not name the site", p, title)
		}
		if d := attr(htmltest.First(doc, "meta[name=description]"), "content"); d == "" || len(d) > 170 {
			t.Errorf("%s: meta description %q", p, d)
		}
		if attr(htmltest.First(doc, "meta[property=og:title]"), "content") == "" {
			t.Errorf("%s: no og:title", p)
		}
		if n := len(htmltest.Find(doc, "h1")); n != 1 && !(strings.HasPrefix(p, "notes/") && n > 1) {
			t.Errorf("%s: %d h1", p, len(htmltest.Find(doc, "h1")))
		}
		if p == "404.html" {
			continue
		}
		want := "https://example.org/aws/" + strings.TrimSuffix(p, "index.html")
		if c := attr(htmltest.First(doc, "link[rel=canonical]"), "href"); c != want {
			t.Errorf("%s: canonical %q, want %q", p, c, want)
		}
		if u := attr(htmltest.First(doc, "meta[property=og:url]"), "content"); u != want {
			t.Errorf("%s: og:url %q, want %q", p, u, want)
		}
	}
	// Without an absolute base URL there is no og:url and no sitemap line
	// in robots.txt: both must be absolute.
	s = buildFixture(t, Options{})
	if htmltest.First(s.page("index.html"), "meta[property=og:url]") != nil {
		t.Errorf("og:url without an absolute base URL")
	}
	if strings.Contains(string(s.files["robots.txt"]), "Sitemap") {
		t.Errorf("robots.txt names a relative sitemap")
	}
}

// TestStrictCSP checks what a Content-Security-Policy without
// 'unsafe-inline' forbids: inline scripts, event handler attributes and
// style attributes.
func TestStrictCSP(t *testing.T) {
	s := buildFixture(t, Options{})
	for p := range s.files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, el := range htmltest.Find(s.page(p), "*") {
			for _, a := range el.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s=%q>", p, el.Data, a.Key, a.Val)
				}
			}
			if el.Data == "style" {
				t.Errorf("%s: a <style> element", p)
			}
			if el.Data == "script" && attr(el, "src") == "" && attr(el, "type") != "application/json" {
				t.Errorf("%s: an inline script", p)
			}
		}
	}
}

func TestEntityPage(t *testing.T) {
	s := buildFixture(t, Options{})
	const p = "services/kinesis-data-streams.html"
	s.want(p, "head title", "Amazon Kinesis Data Streams · Test")
	s.want(p, "main h1", "Amazon Kinesis Data Streams")
	s.want(p, ".crumbs li a[href=../categories/collection.html]", "Collection")
	s.want(p, ".crumbs a[data-e=kinesis]", "Amazon Kinesis")
	s.want(p, ".page-head .summary", "Real-time data streaming")
	if d := s.want(p, "a.docs", "documentation"); attr(d, "href") != "https://docs.aws.amazon.com/streams/latest/dev/introduction.html" {
		t.Errorf("docs link %q", attr(d, "href"))
	}
	s.want(p, ".aliases", "KDS")

	// At a glance: facts with numbers, most-agreed first, with a badge.
	s.want(p, ".glance .fact", "1 MB/s")
	s.want(p, ".glance .fact .badge summary", "2 notes")
	// The badge opens the sources: each at its line, with its wording.
	srcs := htmltest.Find(htmltest.First(s.page(p), ".glance .fact"), ".badge .sources li a")
	if len(srcs) != 2 || attr(srcs[0], "href") != "../notes/kinesis.html#L6" || attr(srcs[1], "href") != "../notes/streams.html#L3" {
		t.Errorf("glance sources: %v", hrefs(srcs))
	}
	s.want(p, ".glance .sources q", "1000 records/s")

	// Conflicts: each side with its value and sources.
	s.want(p, ".conflicts p", "Notes disagree on retention: up to 7 days (1 note) · up to 365 days (1 note)")
	sides := children(htmltest.First(s.page(p), ".conflicts ul.sides"))
	if len(sides) != 2 || !strings.Contains(htmltest.Text(sides[1]), "365 days") ||
		attr(htmltest.First(sides[1], ".sources a"), "href") != "../notes/streams.html#L3" {
		t.Errorf("conflict sides: %d", len(sides))
	}

	// Facts by topic, in the learner's order: limits before producers,
	// retention after them, facts with no topic last.
	var topics []string
	for _, h := range htmltest.Find(s.page(p), "section h3") {
		if strings.HasPrefix(attr(h, "id"), "topic-") {
			topics = append(topics, htmltest.Text(h))
		}
	}
	if want := []string{"Limits", "Producers", "Retention", "Other facts"}; !slices.Equal(topics, want) {
		t.Errorf("topics %v, want %v", topics, want)
	}
	// A fact from a code block links to the code's line.
	if a := htmltest.First(next(htmltest.First(s.page(p), "#topic-other")), ".sources a"); attr(a, "href") != "../notes/kinesis.html#L12" {
		t.Errorf("code source link %q", attr(a, "href"))
	}

	// The comparison, embedded, with its empty cell and conflict row.
	s.want(p, "table.cmp caption a[href=../comparisons/kds-vs-firehose.html]", "Kinesis Data Streams vs Firehose")
	s.want(p, "table.cmp tr.conflict th", "retention")
	s.want(p, "table.cmp td .empty", "not in your notes")

	// Related entities by kind, as chips.
	s.want(p, ".related", "Part of")
	s.want(p, ".related a.chip[data-e=kinesis]", "Amazon Kinesis")
	s.want(p, ".related a.chip[data-e=kinesis-data-firehose]", "Amazon Data Firehose")

	// Backlinks with the sentence, the name marked.
	if b := htmltest.Texts(s.page(p), ".backlinks li"); len(b) != 2 || !strings.Contains(b[1], "KDS keeps data up to 365 days.") {
		t.Errorf("backlinks %q", b)
	}
	if m := htmltest.Texts(s.page(p), ".backlinks mark"); !slices.Equal(m, []string{"Kinesis Data Streams", "KDS"}) {
		t.Errorf("marked names %q", m)
	}
	if a := htmltest.First(s.page(p), ".backlinks a.line"); a == nil || !strings.HasPrefix(attr(a, "href"), "../notes/") {
		t.Errorf("backlink line link %q", attr(a, "href"))
	}

	// The local graph: neighbours as links.
	s.want(p, "aside svg.local-graph a[data-e=kinesis-data-firehose]", "Data Firehose")

	// The table of contents names the sections that are there.
	s.want(p, ".toc a[href=#glance]", "At a glance")
	s.want(p, ".toc a[href=#conflicts]", "Notes disagree")
	s.none(p, ".toc a[href=#missing]")

	// The navigation opens the page's category and marks the page.
	s.want(p, "#site-nav details[open] summary", "Collection")
	s.want(p, "#site-nav a[aria-current=page]", "Amazon Kinesis Data Streams")

	// Formerly-named entity.
	s.want("services/kinesis-data-firehose.html", ".formerly", "Kinesis Data Firehose")
	// An entity the notes say nothing about still has a page.
	s.want("services/glacier.html", ".empty-note", "no facts")
}

// children returns the element children of n.
func children(n *html.Node) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			out = append(out, c)
		}
	}
	return out
}

// next returns the element after n.
func next(n *html.Node) *html.Node {
	for n != nil {
		n = n.NextSibling
		if n != nil && n.Type == html.ElementNode {
			return n
		}
	}
	return nil
}

func hrefs(els []*html.Node) []string {
	var out []string
	for _, el := range els {
		out = append(out, attr(el, "href"))
	}
	return out
}

func TestComparisonPage(t *testing.T) {
	s := buildFixture(t, Options{})
	const p = "comparisons/kds-vs-firehose.html"
	s.want(p, "h1", "Kinesis Data Streams vs Firehose")
	cols := htmltest.Texts(s.page(p), "table.cmp thead th")
	if want := []string{"Attribute", "Amazon Kinesis Data Streams", "Amazon Data Firehose"}; !slices.Equal(cols, want) {
		t.Errorf("columns %v, want %v", cols, want)
	}
	rows := htmltest.Find(s.page(p), "table.cmp tbody tr")
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	if c := htmltest.Texts(rows[0], "td"); !strings.HasPrefix(c[0], "real time") || !strings.HasPrefix(c[1], "near real time") {
		t.Errorf("latency cells %q", c)
	}
	if a := htmltest.First(rows[0], "td .sources a"); attr(a, "href") != "../notes/kinesis.html#L6" {
		t.Errorf("cell source %q", attr(a, "href"))
	}
	if attr(rows[1], "class") != "conflict" {
		t.Errorf("retention row is not marked as a conflict")
	}
	s.want(p, "tr.conflict .flag", "notes disagree")
	s.want(p, "tr.conflict td .empty", "not in your notes")
	s.want(p, "section .sources a[href=../notes/kinesis.html#L3]", "line 3")
}

func TestNotePage(t *testing.T) {
	s := buildFixture(t, Options{})
	const p = "notes/kinesis.html"
	doc := s.page(p)
	// An anchor on every line with text, code lines included.
	for _, line := range []string{"L1", "L3", "L5", "L6", "L7", "L9", "L12", "L15"} {
		if htmltest.First(doc, "article.note #"+line) == nil {
			t.Errorf("no anchor %s", line)
		}
	}
	if htmltest.First(doc, ".note-body #L2") != nil {
		t.Errorf("an anchor on a blank line")
	}
	// The note's leading "# Kinesis" is the page's title, shown once.
	if n := len(htmltest.Find(doc, "h1")); n != 1 {
		t.Errorf("%d h1", n)
	}
	s.want(p, "h1#kinesis span#L1", "")
	// Mentions link to their entity, the first per section only.
	s.want(p, ".note-body h2 a.el[data-e=kinesis-data-streams][href=../services/kinesis-data-streams.html]", "Kinesis Data Streams")
	if n := len(htmltest.Find(doc, ".note-body a[data-e=kinesis-data-firehose]")); n != 1 {
		t.Errorf("%d links to Firehose in one section, want 1", n)
	}
	s.want(p, ".note-body p a.el[data-e=s3]", "S3")
	// Nothing is linked inside code.
	s.none(p, ".note-body pre a")
	// Links between notes, with a line anchor.
	s.want(p, ".note-body a[href=streams.html#L4]", "second line")
	// Chips of what the note is about, and the raw view with line ids.
	s.want(p, ".note-entities a.chip[data-e=kinesis-data-streams]", "Kinesis Data Streams")
	s.want(p, "details.raw #R9 code", "Kinesis Data Firehose delivers to S3.")
}

func TestRawViewMarksRepairs(t *testing.T) {
	p := parse.New()
	notes := notesFrom(t, p, fstest.MapFS{"notes/a.md": {Data: []byte("# A\n\nbad \xff byte\nok\n")}})
	files, _ := render(p, notes, nil, Options{Templates: gen.Templates(), Assets: gen.Assets()})
	s := newSite(t, files, nil)
	s.want("notes/a.html", "#R3.repaired .repair", "utf8")
	s.none("notes/a.html", "#R4.repaired")
	s.want("notes/a.html", ".page-head a[href=#raw]", "1 lines repaired")
}

func TestCategoryAndHome(t *testing.T) {
	s := buildFixture(t, Options{})
	const c = "categories/collection.html"
	s.want(c, "h1", "Collection")
	s.want(c, ".summary", "Getting data in.")
	members := htmltest.Texts(s.page(c), ".members a.mlink")
	if len(members) != 3 || members[0] != "Amazon Kinesis Data Streams" {
		t.Errorf("members %v: want the three Kinesis entities, the one with most facts first", members)
	}
	s.want(c, ".cmp-list a[href=../comparisons/kds-vs-firehose.html]", "vs")
	// A catalog entity the notes never name is listed apart.
	s.want("categories/storage.html", "section ul.chips a.chip[data-e=glacier]", "Glacier")
	s.none("categories/storage.html", ".members a[data-e=glacier]")
	// A category no catalog entry defines still has a page.
	s.want("categories/analytics.html", ".members a[data-e=redshift]", "Redshift")

	const h = "index.html"
	s.want(h, "head title", "Test")
	s.want(h, ".cat-card h3 a[href=categories/collection.html]", "Collection")
	s.want(h, ".cat-card li", "facts")
	s.want(h, ".cmp-list a[href=comparisons/kds-vs-firehose.html]", "Kinesis Data Streams vs Firehose")
	s.want(h, ".note-list a[href=notes/kinesis.html]", "Kinesis")
	form := s.want(h, "main form[role=search]", "Search")
	if attr(form, "action") != "search.html" || htmltest.First(form, "input[type=search][name=q]") == nil {
		t.Errorf("home search form: action %q", attr(form, "action"))
	}
	// Every category's chip has the same colour class everywhere.
	cls := attr(htmltest.First(s.page(h), "section.cat-card[aria-labelledby=cat-collection]"), "class")
	if !strings.Contains(cls, "cat-") {
		t.Fatalf("category card class %q", cls)
	}
	colour := strings.Fields(cls)[1]
	if !strings.Contains(attr(htmltest.First(s.page("services/kinesis-data-streams.html"), ".kind a.chip"), "class"), colour) {
		t.Errorf("the category chip of an entity page is not %s", colour)
	}
}

func TestGraphPage(t *testing.T) {
	s := buildFixture(t, Options{})
	const p = "graph.html"
	doc := s.page(p)
	nodes := htmltest.Find(doc, "svg#kg a.node")
	if len(nodes) != 5 {
		t.Errorf("%d nodes, want the 5 entities the notes know (not categories, not glacier)", len(nodes))
	}
	for _, n := range nodes {
		if !strings.HasPrefix(attr(n, "href"), "services/") || !strings.Contains(attr(n, "class"), "cat-") || attr(n, "data-cat") == "" {
			t.Errorf("node %v", n.Attr)
		}
	}
	if n := len(htmltest.Find(doc, "svg#kg line.edge")); n != 5 {
		t.Errorf("%d edges, want 5 (category edges are colours, not lines)", n)
	}
	s.want(p, "svg#kg line.k-part-of", "")
	s.want(p, "fieldset.legend input[data-cat=collection]", "")
	if htmltest.First(doc, "script[src]") == nil || !strings.Contains(string(s.files[p]), "graph.") {
		t.Errorf("graph.js is not loaded")
	}
	// The layout is made at build time and does not change between builds.
	again := buildFixture(t, Options{})
	if string(again.files[p]) != string(s.files[p]) {
		t.Errorf("two builds drew different graphs")
	}
}

func TestPreviews(t *testing.T) {
	s := buildFixture(t, Options{})
	script := string(s.files[PreviewsPath])
	js, ok := strings.CutPrefix(script, "window.genPreviews = ")
	if !ok || !strings.HasSuffix(js, ";\n") {
		t.Fatalf("%s does not set window.genPreviews: %.80q", PreviewsPath, script)
	}
	var data map[string]Preview
	if err := json.Unmarshal([]byte(strings.TrimSuffix(js, ";\n")), &data); err != nil {
		t.Fatalf("%s: %v", PreviewsPath, err)
	}
	if d := data["s3"]; d.Name != "Amazon S3" || d.Category != "Storage" || d.Summary != "Object storage." || d.Colour == "" {
		t.Errorf("preview of s3 %+v", d)
	}
	for _, p := range []string{"services/kinesis-data-streams.html", "notes/streams.html", "index.html"} {
		// The page loads the previews (relatively, so that file:// works)
		// and carries none itself.
		want := strings.Repeat("../", strings.Count(p, "/")) + PreviewsPath
		if htmltest.First(s.page(p), `script[src="`+want+`"]`) == nil {
			t.Errorf("%s: no script %s", p, want)
		}
		if strings.Contains(string(s.files[p]), `"s":"`) {
			t.Errorf("%s carries preview data", p)
		}
		// Every entity link on the page has its preview.
		for _, a := range htmltest.Find(s.page(p), "a[data-e]") {
			if _, ok := data[attr(a, "data-e")]; !ok {
				t.Errorf("%s: no preview for %s", p, attr(a, "data-e"))
			}
		}
	}
}

// TestLinksResolve follows every internal link of every page, checking
// with a parser rather than with the build's own check.
func TestLinksResolve(t *testing.T) {
	for _, base := range []string{"", "/sub/"} {
		s := buildFixture(t, Options{BaseURL: base})
		for p := range s.files {
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			for _, r := range htmltest.Refs(s.page(p)) {
				target, ok := htmltest.Resolve(p, r.URL, cmpOr(base, "/"))
				if !ok {
					if frag, found := strings.CutPrefix(r.URL, "#"); found && htmltest.First(s.page(p), "#"+frag) == nil {
						t.Errorf("%s: link to missing anchor %s", p, r.URL)
					}
					continue
				}
				if _, ok := s.files[target]; !ok {
					t.Errorf("%s: %s %q: no file %s", p, r.Attr, r.URL, target)
					continue
				}
				if _, frag, found := strings.Cut(r.URL, "#"); found && strings.HasSuffix(target, ".html") {
					if htmltest.First(s.page(target), "#"+frag) == nil {
						t.Errorf("%s: link %q: no #%s in %s", p, r.URL, frag, target)
					}
				}
			}
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestBrokenLinks(t *testing.T) {
	p := parse.New()
	fsys := fstest.MapFS{
		"notes/a.md": {Data: []byte("# A\n\n[gone](missing.md)\n\n[no anchor](b.md#nowhere)\n\n[line](b.md#L3)\n\n[heading](b.md#b)\n")},
		"notes/b.md": {Data: []byte("# B\n\ntext\nmore\n")},
	}
	notes := notesFrom(t, p, fsys)
	_, diags := render(p, notes, nil, Options{Templates: gen.Templates(), Assets: gen.Assets()})
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
		if d.Severity != diag.Error {
			t.Errorf("%v is not an error in a build", d)
		}
	}
	want := []string{
		`notes/a.md:3: link to a missing note "missing.md"`,
		`notes/a.md:5: link to a missing anchor "b.html#nowhere"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// In a live preview they are warnings, and the pages are made.
	notes = notesFrom(t, p, fsys)
	files, diags := render(p, notes, nil, Options{Templates: gen.Templates(), Assets: gen.Assets(), BrokenLinksWarn: true})
	if diags.HasErrors() || len(diags) != 2 || len(files) == 0 {
		t.Errorf("with BrokenLinksWarn: %v", diags)
	}
	// A Renderer checks the links of the pages it makes the same way,
	// from its own lists of the pages' ids.
	r := NewRenderer()
	for i := range 2 {
		notes = notesFrom(t, p, fsys)
		_, diags, _ = r.Render(p, notes, nil, Options{Templates: gen.Templates(), Assets: gen.Assets()})
		got = got[:0]
		for _, d := range diags {
			got = append(got, d.String())
		}
		if !slices.Equal(got, want) {
			t.Errorf("render %d: diagnostics:\n%s\nwant:\n%s", i+1, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
