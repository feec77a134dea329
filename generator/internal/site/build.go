package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/source"
	"github.com/yuin/goldmark/ast"
)

type builder struct {
	parser     *parse.Parser
	opts       Options
	site       *Site
	x          *index
	anchors    map[string]anchors
	info       map[string]*noteInfo
	base       string
	basePath   string
	tmpl       map[string]*template.Template
	assets     map[string]string
	assetFiles []output.File
	minified   map[[32]byte][]byte // asset name and content → minified, kept by a Renderer
	frags      *fragmentStore      // the fragments of pages made last, kept by a Renderer; nil in Build
	files      []output.File
	pages      []string
	navCache   map[string][]NavCategory
	partials   map[partialKey]*partialEntry // made by partialCached
	mu         sync.Mutex                   // guards navCache, partials, files and pages while pages are made in parallel
	// bufs holds the buffers pages are executed into: a page's file is a
	// copy, so a buffer serves page after page instead of growing anew
	// for each.
	bufs sync.Pool
}

// linkProblem reports a broken internal link: an error that fails a
// build, or a warning in a live preview (Options.BrokenLinksWarn).
func (b *builder) linkProblem(diags *diag.List, path string, line int, format string, args ...any) {
	if b.opts.BrokenLinksWarn {
		diags.Warnf(path, line, "link", format, args...)
	} else {
		diags.Errorf(path, line, "link", format, args...)
	}
}

func (b *builder) linker(root string) *linker {
	return &linker{x: b.x, root: root, anchors: b.anchors}
}

func (b *builder) page(pg *Page, diags *diag.List) {
	if pg.root == "" {
		pg.root = strings.Repeat("../", strings.Count(pg.Path, "/"))
	}
	pg.Site = b.site
	pg.assets = b.assets
	if pg.Kind != "404" && !b.opts.Offline {
		pg.Canonical = b.absURL(pg.Path)
	}
	if pg.Nav == nil && len(b.x.categories) > 0 {
		b.mu.Lock()
		if b.navCache == nil {
			b.navCache = map[string][]NavCategory{}
		}
		nav, ok := b.navCache[pg.root]
		if !ok {
			nav = b.linker(pg.root).nav()
			b.navCache[pg.root] = nav
		}
		b.mu.Unlock()
		pg.Nav = nav
	}
	t, ok := b.tmpl[pg.Kind]
	if !ok {
		diags.Errorf("templates/"+pg.Kind+".html", 0, "template", "missing template for %s pages", pg.Kind)
		return
	}
	pg.tmpl = t
	if b.frags != nil {
		pg.frags = b.frags.begin(pg.Path, t)
	}
	buf, _ := b.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		buf.Reset()
		b.bufs.Put(buf)
	}()
	if err := t.ExecuteTemplate(buf, "base", pg); err != nil {
		diags.Errorf("templates/"+pg.Kind+".html", 0, "template", "%v", err)
		return
	}
	// The table of contents names ids the page kind's template is expected
	// to have; a site's own template may not have them all.
	if toc := presentTOC(pg.TOC, buf.Bytes()); len(toc) != len(pg.TOC) {
		pg.TOC = toc
		buf.Reset()
		if err := t.ExecuteTemplate(buf, "base", pg); err != nil {
			diags.Errorf("templates/"+pg.Kind+".html", 0, "template", "%v", err)
			return
		}
	}
	if pg.frags != nil {
		b.frags.keep(pg.Path, t, pg.frags)
	}
	data := bytes.Clone(buf.Bytes())
	b.mu.Lock()
	b.files = append(b.files, output.File{Path: pg.Path, Data: data})
	if pg.Kind != "404" {
		b.pages = append(b.pages, pg.Path)
	}
	b.mu.Unlock()
}

// presentTOC returns the entries of toc whose id is on the page.
func presentTOC(toc []TOCItem, page []byte) []TOCItem {
	// The page's ids are read once, each looked up among the items' ids:
	// testing each item against the whole page would be quadratic in a
	// note with thousands of headings, and a set of the page's ids costs
	// a string for each of its thousands of line anchors.
	// at maps an item's id, as the page writes it, to the last item of
	// that id: found says which of them the page has.
	esc := make([]string, len(toc))
	at := make(map[string]int, len(toc))
	for i, it := range toc {
		esc[i] = template.HTMLEscapeString(it.ID)
		at[esc[i]] = i
	}
	found := make([]bool, len(toc))
	eachAttr(page, ` id="`, func(v []byte) {
		if i, ok := at[string(v)]; ok {
			found[i] = true
		}
	})
	var out []TOCItem
	for i, it := range toc {
		if found[at[esc[i]]] {
			out = append(out, it)
		}
	}
	return out
}

// Preview is what a hover preview shows of an entity.
type Preview struct {
	Name     string `json:"n"`
	Kind     string `json:"k"`
	Category string `json:"c,omitempty"`
	Colour   string `json:"cc,omitempty"`
	Summary  string `json:"s,omitempty"`
	Facts    int    `json:"f"`
	Notes    int    `json:"m"`
}

// PreviewsPath is the script that holds the hover previews of every
// entity. One file for the site, not a copy in each page: a page would
// otherwise carry the counts of every entity it links to, and an edit that
// changes a busy entity's counts would change thousands of pages.
const PreviewsPath = "data/previews.js"

// previewsScript returns the script at PreviewsPath: the previews of every
// entity, by id, as window.genPreviews, so a hover needs no request and
// works offline.
func (b *builder) previewsScript() []byte {
	out := make(map[string]Preview, len(b.x.entity))
	for id, e := range b.x.entity {
		pv := Preview{Name: e.Name, Kind: humanize(e.Kind), Summary: truncate(e.Summary, 220),
			Facts: len(b.x.facts[id]), Notes: b.x.noteCount[id]}
		if c := b.x.categoryOf(e); c != nil && c != e {
			pv.Category, pv.Colour = c.Name, "cat-"+strconv.Itoa(b.x.colour[c.ID])
		}
		out[id] = pv
	}
	// Marshal escapes <, >, &, U+2028 and U+2029, so the JSON is safe as
	// a script's source; its map keys come out sorted, so the file is the
	// same for the same graph.
	data, err := json.Marshal(out)
	if err != nil {
		data = []byte("{}")
	}
	return append(append([]byte("window.genPreviews = "), data...), ";\n"...)
}

// templateSet is the parsed templates of a render and the text they were
// parsed from, which a Renderer keeps: parsing them again cost more than
// making the few pages of an edit. Its templates call the partialCached
// of builder, the builder of the render that uses them now.
type templateSet struct {
	base, partials []byte
	text           map[string][]byte
	tmpl           map[string]*template.Template
	builder        *builder
}

// loadTemplatesFrom parses the templates of kinds, or takes them from
// prev (which may be nil) when their text is the one prev parsed, and
// returns the set the next render can take them from.
func (b *builder) loadTemplatesFrom(prev *templateSet, kinds []string) (*templateSet, error) {
	baseText, err := fs.ReadFile(b.opts.Templates, "base.html")
	if err != nil {
		return nil, fmt.Errorf("cannot read base.html: %w", err)
	}
	// partials.html holds the pieces several page kinds share (a source
	// list, a comparison table); a site's templates may leave it out.
	partials, _ := fs.ReadFile(b.opts.Templates, "partials.html")
	ts := &templateSet{base: baseText, partials: partials, text: map[string][]byte{},
		tmpl: map[string]*template.Template{}, builder: b}
	same := prev != nil && bytes.Equal(prev.base, baseText) && bytes.Equal(prev.partials, partials) &&
		(prev.partials == nil) == (partials == nil)
	if same {
		ts = prev
		ts.builder = b
	}
	b.tmpl = map[string]*template.Template{}
	for _, k := range kinds {
		text, err := fs.ReadFile(b.opts.Templates, k+".html")
		if err != nil {
			return nil, fmt.Errorf("cannot read %s.html: %w", k, err)
		}
		if t := ts.tmpl[k]; same && t != nil && bytes.Equal(ts.text[k], text) {
			b.tmpl[k] = t
			continue
		}
		var set *template.Template
		funcs := template.FuncMap{"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
			return ts.builder.partialCached(set, name, data, variants)
		}}
		t, err := template.New("base.html").Option("missingkey=error").Funcs(funcs).Parse(string(baseText))
		if err != nil {
			return nil, err
		}
		set = t
		if partials != nil {
			if _, err := t.New("partials.html").Parse(string(partials)); err != nil {
				return nil, err
			}
		}
		if _, err := t.New(k + ".html").Parse(string(text)); err != nil {
			return nil, err
		}
		b.tmpl[k], ts.tmpl[k], ts.text[k] = t, t, text
	}
	return ts, nil
}

// partialCached is the templates' partialCached: the template name of set
// executed with data, made once per build for each name and variants, as
// Hugo's partialCached is. The variants must hold everything of data the
// template shows: every page carries the navigation, which the same few
// variants make.
func (b *builder) partialCached(set *template.Template, name string, data any, variants []any) (template.HTML, error) {
	key := partialKey{set: set, name: name, variants: fmt.Sprint(variants...)}
	b.mu.Lock()
	if b.partials == nil {
		b.partials = map[partialKey]*partialEntry{}
	}
	e := b.partials[key]
	if e == nil {
		e = &partialEntry{}
		b.partials[key] = e
	}
	b.mu.Unlock()
	// Pages made at once that ask for the same partial wait for the one
	// that makes it, so that they all show the same bytes whatever the
	// order; a partial that failed is made again with each page's data.
	mine := false
	e.once.Do(func() {
		mine = true
		e.html, e.err = executePartial(set, name, data)
	})
	if e.err != nil && !mine {
		return executePartial(set, name, data)
	}
	return e.html, e.err
}

// partialEntry is a partial that partialCached made, or is making.
type partialEntry struct {
	once sync.Once
	html template.HTML
	err  error
}

func executePartial(set *template.Template, name string, data any) (template.HTML, error) {
	var buf strings.Builder
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// partialKey is what a cached partial is made once for.
type partialKey struct {
	set      *template.Template
	name     string
	variants string
}

func (b *builder) homePage(notes []*Note, diags *diag.List) {
	var links []NoteLink
	for i, n := range notes {
		if i == HomeNotes {
			break
		}
		links = append(links, NoteLink{
			Title: b.x.titles[n.Source.ID], URL: NoteURL(n.Source.Slug), Path: n.Source.Path,
			Headings: len(b.info[n.Source.ID].headings), Lines: lineCount(n.Source.Raw),
		})
	}
	pg := &Page{Kind: "home", Path: "index.html", Title: b.opts.Title, Notes: links, NotesTotal: len(notes)}
	if len(notes) > HomeNotes {
		pg.AllNotes = NotesListPath
	}
	desc := fmt.Sprintf("%s: %d notes.", b.opts.Title, len(notes))
	if g := b.x.g; g != nil && len(b.x.entity) > 0 {
		l := b.linker("")
		h := &HomeView{Facts: len(g.Facts), Conflicts: len(g.Conflicts)}
		for _, c := range b.x.categories {
			cv := l.category(c)
			if len(cv.Members) > 0 {
				h.Categories = append(h.Categories, cv)
				h.Entities += len(cv.Members)
			}
		}
		for i := range g.Comparisons[:min(len(g.Comparisons), HomeComparisons)] {
			h.Comparisons = append(h.Comparisons, l.comparison(&g.Comparisons[i]))
		}
		h.ComparisonsTotal = len(g.Comparisons)
		if len(g.Comparisons) > HomeComparisons {
			h.AllComparisons = ComparisonsListPath
		}
		pg.Home = h
		desc = fmt.Sprintf("%s: %d services and concepts, %d facts and %d comparisons from %d notes, each linked to the line it came from.",
			b.opts.Title, h.Entities, h.Facts, h.ComparisonsTotal, len(notes))
		pg.TOC = []TOCItem{{ID: "categories-h", Text: "Categories"}}
		if len(h.Comparisons) > 0 {
			pg.TOC = append(pg.TOC, TOCItem{ID: "comparisons-h", Text: "Comparisons"})
		}
	}
	pg.TOC = append(pg.TOC, TOCItem{ID: "notes-h", Text: "Notes"})
	pg.Description = desc
	b.page(pg, diags)
}

// HomeNotes and HomeComparisons are how many notes and comparisons the home
// page lists; a site with more gets a list page of them all
// (NotesListPath, ComparisonsListPath), as Hugo paginates its home page.
// At 10,000 notes a home page of every note is 2 MB, and an edit that
// changes one note's line count would make it again.
const (
	HomeNotes           = 60
	HomeComparisons     = 40
	NotesListPath       = "notes.html"
	ComparisonsListPath = "comparisons.html"
)

// pageKinds returns the kinds of pages a site of g (indexed as x) with
// nNotes notes has, and its list pages (listKinds).
func pageKinds(g *graph.Graph, x *index, nNotes int, tmpl fs.FS) (kinds, lists []string) {
	kinds = []string{"home", "note", "404"}
	nComps := 0
	if g != nil && len(x.entity) > 0 {
		kinds = append(kinds, "entity", "category", "graph", "topic")
		if len(g.Comparisons) > 0 {
			kinds = append(kinds, "comparison")
		}
		nComps = len(g.Comparisons)
	}
	lists = listKinds(nNotes, nComps)
	if len(lists) > 0 {
		kinds = append(kinds, "list")
	}
	return append(kinds, optionalKinds(tmpl)...), lists
}

// listKinds returns the list pages a site of nNotes notes and nComps
// comparisons has, by path: none for a small one.
func listKinds(nNotes, nComps int) []string {
	var out []string
	if nNotes > HomeNotes {
		out = append(out, NotesListPath)
	}
	if nComps > HomeComparisons {
		out = append(out, ComparisonsListPath)
	}
	return out
}

// notesListPage makes the list of all notes. It shows what a note's
// page is called and where it comes from, not counts that every edit
// changes, so that it is made again only when a note comes, goes or is
// renamed.
func (b *builder) notesListPage(notes []*Note, diags *diag.List) {
	items := make([]Link, 0, len(notes))
	for _, n := range notes {
		items = append(items, Link{Name: b.x.titles[n.Source.ID], Href: NoteURL(n.Source.Slug), Path: n.Source.Path, Kind: "note"})
	}
	b.page(&Page{Kind: "list", Path: NotesListPath, Title: "All notes", List: items,
		Description: fmt.Sprintf("%s: all %d notes.", b.opts.Title, len(notes))}, diags)
}

// comparisonsListPage makes the list of all comparisons.
func (b *builder) comparisonsListPage(diags *diag.List) {
	l := b.linker("")
	g := b.x.g
	items := make([]Link, 0, len(g.Comparisons))
	for i := range g.Comparisons {
		items = append(items, l.comparison(&g.Comparisons[i]))
	}
	b.page(&Page{Kind: "list", Path: ComparisonsListPath, Title: "All comparisons", List: items,
		Description: fmt.Sprintf("%s: all %d comparisons.", b.opts.Title, len(items))}, diags)
}

// noteInfo is what pages read from a note's text, read before its AST is
// decorated.
type noteInfo struct {
	headings     []parse.Heading
	description  string
	titleHeading *ast.Heading // the leading h1 that repeats the title, or nil
	titleOffset  int
}

func newNoteInfo(n *Note, title string) *noteInfo {
	info := &noteInfo{headings: parse.Headings(n.Doc), description: describe(n)}
	info.titleHeading, info.titleOffset = leadingTitle(n, title)
	return info
}

// leadingTitle returns the note's first block when it is a level-1
// heading that says the title, and its offset; else nil.
func leadingTitle(n *Note, title string) (*ast.Heading, int) {
	h, ok := n.Doc.Root.FirstChild().(*ast.Heading)
	if !ok || h.Level != 1 {
		return nil, 0
	}
	if parse.PlainText(h, n.Doc.Source) != title {
		return nil, 0
	}
	return h, parse.NodeOffset(h, n.Doc.Source)
}

// notePage makes the page of n, whose info is of its tree as it is now.
func (b *builder) notePage(n *Note, info *noteInfo, diags *diag.List) {
	title := b.x.titles[n.Source.ID]
	// A note that starts with its title as a level-1 heading would show
	// it twice: the page's h1 takes over its id and its line anchor. The
	// heading goes back once the page is made.
	var titleID string
	titleLine := 0
	if h := info.titleHeading; h != nil && h.Parent() == n.Doc.Root {
		if v, ok := h.AttributeString("id"); ok {
			if id, ok := v.([]byte); ok {
				titleID = string(id)
			}
		}
		if line := n.Clean.RawLine(info.titleOffset); b.anchors[n.Source.ID].has(line) {
			titleLine = line
		}
		next := h.NextSibling()
		n.Doc.Root.RemoveChild(n.Doc.Root, h)
		defer n.Doc.Root.InsertBefore(n.Doc.Root, next, h)
	}
	var body bytes.Buffer
	if err := b.parser.Render(&body, n.Doc); err != nil {
		diags.Errorf(n.Source.Path, 0, "render", "cannot render: %v", err)
		return
	}
	raw := rawLines(n)
	repaired := 0
	for _, r := range raw {
		if r.Repair != "" {
			repaired++
		}
	}
	nv := &NoteView{Path: n.Source.Path, Date: n.Source.Front.Date, Tags: n.Source.Front.Tags,
		HTML: template.HTML(body.String()), Lines: lineCount(n.Source.Raw), Format: n.Clean.Format,
		Raw: raw, RawHTML: rawListHTML(raw), Repaired: repaired, TitleID: titleID, TitleLine: titleLine}
	// The entities the note names most, as chips above the text.
	count := map[string]int{}
	for _, m := range b.x.byNote[n.Source.ID] {
		if e := b.x.entity[m.Entity]; e != nil && e.Kind != "category" {
			count[m.Entity]++
		}
	}
	ids := make([]string, 0, len(count))
	for id := range count {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, c string) int { return cmp.Or(cmp.Compare(count[c], count[a]), cmp.Compare(a, c)) })
	l := b.linker("../")
	for _, id := range ids[:min(len(ids), 16)] {
		lk, _ := l.entityID(id)
		nv.Entities = append(nv.Entities, lk)
	}
	pg := &Page{Kind: "note", Path: NoteURL(n.Source.Slug), Title: title, Description: info.description, Note: nv}
	for _, h := range info.headings {
		if h.ID != "" && h.Level <= 3 && h.ID != titleID {
			pg.TOC = append(pg.TOC, TOCItem{ID: h.ID, Text: h.Text, Level: h.Level})
		}
	}
	pg.TOC = append(pg.TOC, TOCItem{ID: "raw", Text: "Raw text", Level: 1})
	b.page(pg, diags)
}

func (b *builder) entityPage(e *graph.Entity, diags *diag.List) {
	l := b.linker("../")
	v := &EntityView{Summary: e.Summary, Docs: e.Docs, Formerly: e.Formerly, Aliases: e.Aliases}
	b.entityHead(v, l, e)
	for _, c := range b.x.children[e.ID] {
		v.Parts = append(v.Parts, l.entity(c))
	}

	facts := slices.Clone(b.x.facts[e.ID])
	v.FactCount = len(facts)
	// Most-agreed first; a stable sort keeps the notes' order otherwise.
	slices.SortStableFunc(facts, func(a, c *graph.Fact) int { return cmp.Compare(factNotes(c), factNotes(a)) })
	for _, f := range facts {
		if hasDigit(f.Text) && len(v.Glance) < 6 {
			v.Glance = append(v.Glance, l.fact(f))
		}
	}
	// Views are made for the facts the page lists only: a busy service's
	// topics leave most of theirs to their own pages.
	byTopic := map[string]*TopicView{}
	var topics []*TopicView
	for _, f := range facts {
		t := byTopic[f.Topic]
		if t == nil {
			id, name := TopicSection(f.Topic)
			t = &TopicView{ID: id, Name: name}
			byTopic[f.Topic] = t
			topics = append(topics, t)
		}
		t.Total++
		if t.Total > TopicFacts {
			t.More++
			if t.Href == "" {
				t.Href = l.rel(TopicURL(e, f.Topic))
			}
			continue
		}
		t.Facts = append(t.Facts, l.fact(f))
	}
	slices.SortStableFunc(topics, func(a, c *TopicView) int { return cmp.Compare(topicRank(topicID(a)), topicRank(topicID(c))) })
	for _, t := range topics {
		v.Topics = append(v.Topics, *t)
	}
	for _, c := range b.x.conflicts[e.ID] {
		v.Conflicts = append(v.Conflicts, l.conflict(c))
	}
	for i, c := range b.x.comps[e.ID] {
		if i < EntityTables {
			v.Tables = append(v.Tables, l.table(c))
		} else {
			v.MoreTables = append(v.MoreTables, l.comparison(c))
		}
	}
	v.Related = l.related(e.ID)
	v.Mentions, v.MentionsN, v.MoreNotes = l.backlinks(e.ID, 40)
	v.LocalGraph = l.localSVG(e)

	pg := &Page{Kind: "entity", Path: EntityURL(e), Title: e.Name, Entity: v}
	if v.Category != nil {
		pg.NavCat = v.Category.Entity
	}
	pg.Description = entityDescription(e, v)
	toc := func(id, text string, ok bool) {
		if ok {
			pg.TOC = append(pg.TOC, TOCItem{ID: id, Text: text, Level: 2})
		}
	}
	toc("glance", "At a glance", len(v.Glance) > 0)
	toc("conflicts", "Notes disagree", len(v.Conflicts) > 0)
	toc("facts", "Facts", len(v.Topics) > 0)
	for _, t := range v.Topics {
		pg.TOC = append(pg.TOC, TOCItem{ID: t.ID, Text: t.Name, Level: 3})
	}
	toc("comparisons", "Comparisons", len(v.Tables) > 0)
	toc("related", "Related", len(v.Related) > 0 || len(v.Parts) > 0)
	toc("mentions", "Mentioned in", len(v.Mentions) > 0)
	b.page(pg, diags)
}

func topicID(t *TopicView) string { return strings.TrimPrefix(t.ID, "topic-") }

// bigTopics returns the topics of an entity's facts that have more than
// TopicFacts facts, in the order of their first fact.
func bigTopics(facts []*graph.Fact) []string {
	n := map[string]int{}
	var order []string
	for _, f := range facts {
		if n[f.Topic] == 0 {
			order = append(order, f.Topic)
		}
		n[f.Topic]++
	}
	return slices.DeleteFunc(order, func(t string) bool { return n[t] <= TopicFacts })
}

// entityHead fills in what the head of an entity's page and of its topic
// pages shows: the entity, its kind and notes, its category, its family.
func (b *builder) entityHead(v *EntityView, l *linker, e *graph.Entity) {
	v.Self, v.Kind, v.NoteCount = l.entity(e), humanize(e.Kind), b.x.noteCount[e.ID]
	if c := b.x.categoryOf(e); c != nil {
		lk := l.entity(c)
		v.Category = &lk
	}
	seen := map[string]bool{e.ID: true}
	for p := b.x.entity[e.Parent]; p != nil && !seen[p.ID]; p = b.x.entity[p.Parent] {
		seen[p.ID] = true
		v.Family = append([]Link{l.entity(p)}, v.Family...)
	}
}

// topicPage makes the page of all the facts of one topic of an entity.
func (b *builder) topicPage(e *graph.Entity, topic string, diags *diag.List) {
	l := b.linker("../../")
	v := &EntityView{}
	b.entityHead(v, l, e)
	var facts []*graph.Fact
	for _, f := range b.x.facts[e.ID] {
		if f.Topic == topic {
			facts = append(facts, f)
		}
	}
	slices.SortStableFunc(facts, func(a, c *graph.Fact) int { return cmp.Compare(factNotes(c), factNotes(a)) })
	id, name := TopicSection(topic)
	t := TopicView{ID: id, Name: name, Total: len(facts)}
	for _, f := range facts {
		t.Facts = append(t.Facts, l.fact(f))
	}
	v.Topics = []TopicView{t}
	v.FactCount = len(facts)
	pg := &Page{Kind: "topic", Path: TopicURL(e, topic), Title: e.Name + ": " + name, Entity: v,
		Description: truncate(fmt.Sprintf("%s, %s: all %s the notes state, the most agreed first.", e.Name, strings.ToLower(name), plural(len(facts), "fact")), 160)}
	if v.Category != nil {
		pg.NavCat = v.Category.Entity
	}
	b.page(pg, diags)
}

func factNotes(f *graph.Fact) int {
	if f.Notes > 0 {
		return f.Notes
	}
	return distinctNotes(f.Sources)
}

func entityDescription(e *graph.Entity, v *EntityView) string {
	if e.Summary != "" {
		return truncate(e.Summary, 160)
	}
	d := e.Name
	if v.Category != nil {
		d += " (" + v.Category.Name + ")"
	}
	d += ": " + plural(v.FactCount, "fact") + " from " + plural(v.NoteCount, "note")
	if len(v.Glance) > 0 {
		d += ". " + v.Glance[0].Text
	}
	return truncate(d, 160)
}

func (b *builder) categoryPage(c *graph.Entity, diags *diag.List) {
	l := b.linker("../")
	v := l.category(c)
	desc := c.Summary
	if desc == "" {
		desc = fmt.Sprintf("%s: %d services and concepts in the notes, with %d facts.", c.Name, len(v.Members), v.FactCount)
	}
	pg := &Page{Kind: "category", Path: EntityURL(c), Title: c.Name, Description: truncate(desc, 160), Category: &v, NavCat: c.ID}
	pg.TOC = []TOCItem{{ID: "members", Text: "In your notes", Level: 2}}
	if len(v.Tables) > 0 {
		pg.TOC = append(pg.TOC, TOCItem{ID: "comparisons", Text: "Comparisons", Level: 2})
	}
	if len(v.Catalog) > 0 {
		pg.TOC = append(pg.TOC, TOCItem{ID: "catalog", Text: "Not in your notes yet", Level: 2})
	}
	b.page(pg, diags)
}

func (b *builder) comparisonPage(c *graph.Comparison, diags *diag.List) {
	l := b.linker("../")
	t := l.table(c)
	t.Href = "" // the page itself: its h1 is the caption
	var names []string
	for _, col := range t.Cols {
		names = append(names, col.Name)
	}
	desc := fmt.Sprintf("%s compared side by side: %s, each value linked to the notes it comes from.",
		strings.Join(names, ", "), plural(len(t.Rows), "attribute"))
	pg := &Page{Kind: "comparison", Path: ComparisonURL(c.ID), Title: c.Title, Description: truncate(desc, 160), Comparison: &t}
	if len(t.Cols) > 0 {
		pg.NavCat = b.x.categoryOf(b.x.entity[t.Cols[0].Entity]).ID
	}
	b.page(pg, diags)
}

func (b *builder) graphPage(diags *diag.List) {
	l := b.linker("")
	svg, nodes := l.graphSVG()
	gv := &GraphView{SVG: svg, Nodes: nodes}
	for _, c := range b.x.categories {
		if len(l.x.members[c.ID]) > 0 {
			gv.Legend = append(gv.Legend, l.entity(c))
		}
	}
	b.page(&Page{Kind: "graph", Path: "graph.html", Title: "Graph",
		Description: fmt.Sprintf("Every service and concept in the notes (%d) and how they relate, coloured by category.", len(nodes)),
		Graph:       gv}, diags)
}

func (b *builder) sitemap() []byte {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pages := slices.Clone(b.pages)
	slices.Sort(pages)
	for _, p := range pages {
		fmt.Fprintf(&buf, "  <url><loc>%s</loc></url>\n", template.HTMLEscapeString(b.absURL(p)))
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// robots allows everything and names the sitemap, which robots.txt must
// give as an absolute URL: without an absolute base URL it is left out.
func (b *builder) robots() []byte {
	s := "User-agent: *\nAllow: /\n"
	if b.site.Absolute {
		s += "\nSitemap: " + b.base + "sitemap.xml\n"
	}
	return []byte(s)
}

// rewriteLinks points links between notes ("other.md", "../x/y.txt#part")
// at the pages of those notes, and reports links to notes that do not
// exist.
func rewriteLinks(n *Note, bySourcePath map[string]*Note, diags *diag.List) {
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		l, ok := c.(*ast.Link)
		if !ok {
			return ast.WalkContinue, nil
		}
		dest := string(l.Destination)
		u, err := url.Parse(dest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			return ast.WalkContinue, nil
		}
		if !source.IsNoteName(u.Path) {
			return ast.WalkContinue, nil
		}
		target := path.Join(path.Dir(n.Source.Path), u.Path)
		t, ok := bySourcePath[target]
		if !ok {
			line := n.Clean.RawLine(parse.NodeOffset(l, n.Doc.Source))
			diags.Warnf(n.Source.Path, line, "link", "link to a missing note %q", dest)
			return ast.WalkContinue, nil
		}
		nd := t.Source.Slug + ".html"
		if u.Fragment != "" {
			nd += "#" + u.Fragment
		}
		l.Destination = []byte(nd)
		return ast.WalkContinue, nil
	})
}

// checkNoteFragments reports links from a note to an anchor that the
// target note's page does not have: a heading id, or a line "L12".
// rewriteLinks has already turned links to notes into links to pages and
// reported the notes that do not exist. A broken link then becomes its
// plain text: a link that leads nowhere is worse than none. bySlug maps a
// note page's file name ("x.html") to its note.
func (b *builder) checkNoteFragments(n *Note, bySlug map[string]*Note, diags *diag.List) {
	var broken []*ast.Link
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		l, ok := c.(*ast.Link)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if cls, _ := l.AttributeString("class"); cls != nil {
			return ast.WalkContinue, nil // a mention link made by decorateNote
		}
		u, err := url.Parse(string(l.Destination))
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
			return ast.WalkContinue, nil
		}
		if u.Path != "" && source.IsNoteName(u.Path) {
			broken = append(broken, l) // a missing note, reported by rewriteLinks
			return ast.WalkContinue, nil
		}
		if u.Fragment == "" {
			return ast.WalkContinue, nil
		}
		target := n
		if u.Path != "" {
			if target = bySlug[u.Path]; target == nil {
				return ast.WalkContinue, nil // not a note
			}
		}
		if !b.hasAnchor(target, u.Fragment) {
			line := n.Clean.RawLine(parse.NodeOffset(l, n.Doc.Source))
			diags.Warnf(n.Source.Path, line, "link", "link to a missing anchor %q", string(l.Destination))
			broken = append(broken, l)
		}
		return ast.WalkContinue, nil
	})
	for _, l := range broken {
		p := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.InsertBefore(p, l, c)
			c = next
		}
		p.RemoveChild(p, l)
	}
}

func (b *builder) hasAnchor(n *Note, frag string) bool {
	if rest, ok := strings.CutPrefix(frag, "L"); ok {
		if line, err := strconv.Atoi(rest); err == nil {
			return b.anchors[n.Source.ID].has(line)
		}
	}
	if frag == "raw" || frag == "main" || strings.HasPrefix(frag, "R") {
		if frag == "raw" || frag == "main" {
			return true
		}
		line, err := strconv.Atoi(frag[1:])
		return err == nil && line >= 1 && line <= lineCount(n.Source.Raw)
	}
	for _, h := range b.info[n.Source.ID].headings {
		if h.ID == frag {
			return true
		}
	}
	return false
}
