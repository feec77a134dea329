package site

import (
	"bytes"
	"cmp"
	"encoding/binary"

	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/source"
	"github.com/yuin/goldmark/ast"
)

// Renderer renders a site again and again as its notes change, and makes
// again only the pages whose inputs changed. It is what a live preview
// uses; a one-off build uses Build.
//
// Each page has a key: a hash of everything it is made from other than
// the entities it links to (the note's bytes, the facts, mentions, edges
// and comparisons of an entity, the titles and line anchors of the notes
// it cites, its template, the navigation). A page is made again when its
// key changes, or when what a link to an entity shows (name, address,
// colour) changes for an entity it links to: those links are read from the
// page made last time, so no list of "neighbours" has to be kept in step
// with the templates. Hover previews (counts, summaries) are in one script
// for the whole site (PreviewsPath), so a changed count changes no page
// that merely links to the entity. Asset names carry a hash of their content; when an asset
// changes, pages that name it get the new name by a byte replacement
// rather than a render.
//
// Working out the keys reads the whole graph, which at 10,000 notes costs
// more than making the few pages an edit changes. Given a graph.Delta
// (RenderDelta), a Renderer indexes the graph from its last index and
// hashes again only the facts of the entities the Delta names and the
// mentions of the notes it names.
//
// A Renderer is not safe for concurrent use.
type Renderer struct {
	seed  maphash.Seed
	notes map[string]*noteMemo // note id → what pages read of it
	pages map[string]*pageMemo // output path → the page made last
	links map[string]uint64    // entity id → hash of what links to it show
	// linkers holds, per entity id, the pages whose refs name it; order
	// the paths of the last render's pages and extra its other files.
	linkers map[string]map[string]struct{}
	order   []string
	memos   []*pageMemo // the page of each path of order, as pages has it
	extra   []string
	assets  map[string]string // asset name → hashed path, last render
	// minified holds the minified assets by name and content.
	minified map[[32]byte][]byte
	// frags holds the fragments (Page.Fragment) of the pages made last.
	frags *fragmentStore
	// templates holds the last render's parsed templates.
	templates *templateSet
	// sitemap is the last sitemap, of sitemapPages under sitemapBase.
	sitemap      []byte
	sitemapBase  string
	sitemapPages []string
	// graph and index are those of the last render, from which the next
	// one's index is made when a graph.Delta says what changed. facts
	// holds, per entity, the hash of its facts and conflicts as its page
	// shows them (entityFacts), kept for the entities whose facts the
	// Delta leaves as they were; mentions the hash of its mentions, a sum
	// over the notes that mention it (mentionStep), which the notes of the
	// Delta change by their part. comps holds the hash of each comparison
	// (hashComparison), for the comparisons that are the last graph's.
	graph  *graph.Graph
	index  *index
	facts  map[string]uint64
	topics map[string]map[string]uint64 // entity → topic → hash of its facts, for the topics with a page of their own
	// topicOrder holds those topics of each entity in bigTopics' order.
	topicOrder map[string][]string
	mentions   map[string]uint64
	comps      map[compID]uint64
	// gen counts renders; noteSet hashes the ids, paths and slugs of the
	// last render's notes, and bySourcePath and bySlug map their paths
	// and page names to them. info and anchors hold each note's, as the
	// builder reads them.
	gen                  int
	noteSet              uint64
	bySourcePath, bySlug map[string]*Note
	info                 map[string]*noteInfo
	anchors              map[string]anchors
	// idMu guards the ids that pages' memos keep (checkLinks).
	idMu sync.Mutex
	// entityURLs and compURLs hold the paths of entity and comparison
	// pages by id (entityURL).
	entityURLs, compURLs map[string]string
	urlBound             int // about the pages of this render, which the maps hold at most twice over
	// Later leaves the pages of notes, entities, topics and comparisons
	// unmade until MakeLater asks for them (see MakeLater); later makes
	// them, with what the last render knew.
	Later bool
	later func(pth string) ([]byte, diag.List, bool)
	// tried holds, per kind of page, the key of the templates (kindKey)
	// a page of that kind was last made with.
	tried map[string]uint64
}

// compID tells a comparison of a graph from a Merger apart from others:
// a comparison that is the same as one of the last graph shares its rows,
// sources and entities with it, as a Merger keeps them.
type compID struct {
	id, title, kind string
	rows            *graph.ComparisonRow
	sources         *graph.Source
	entities        *string
	n               [3]int
}

func compIDOf(c *graph.Comparison) compID {
	id := compID{id: c.ID, title: c.Title, kind: c.Kind, n: [3]int{len(c.Rows), len(c.Sources), len(c.Entities)}}
	if len(c.Rows) > 0 {
		id.rows = &c.Rows[0]
	}
	if len(c.Sources) > 0 {
		id.sources = &c.Sources[0]
	}
	if len(c.Entities) > 0 {
		id.entities = &c.Entities[0]
	}
	return id
}

// Prepared is what a Renderer reads of a note's tree to make the other
// pages and its page's key: its title, headings and description, its
// links and the lines its page has anchors for.
type Prepared struct {
	title   string
	info    *noteInfo
	anchors anchors
	links   []string
}

// Prepare reads the tree of n for a Renderer, which a caller can then let
// go before the render: a live preview that makes its pages when asked
// for (Renderer.Later) has no use for 10,000 trees at once. It changes
// the tree, which is good for nothing after but n's page.
func Prepare(n *Note) *Prepared {
	title := n.Title()
	info := newNoteInfo(n, title)
	info.titleHeading = nil // a node of the tree
	links := noteLinks(n)
	// The anchors depend on the tree and the title alone, not on the
	// mentions that decorateNote also links.
	a, _ := decorateNote(n, &index{titles: map[string]string{n.Source.ID: title}})
	return &Prepared{title: title, info: info, anchors: a, links: links}
}

// noteMemo is what the pages of a site read of one note, kept so that an
// unchanged note need not be parsed again to make the others' pages.
type noteMemo struct {
	owner *Renderer // the Renderer that made it: notes may be given to several
	// current says the owner's notes map holds the memo for id, as a look
	// at the map would tell, for each of 10,000 notes at every render.
	current bool
	id      string
	hash    [32]byte
	title   string
	slug    string
	url     string // NoteURL(slug)
	// indexed is the note the index's notes map has for id, as far as the
	// memo knows (index.keptNotes).
	indexed *Note
	// setKey hashes the note's id, path and slug (path and slug) for
	// Renderer.noteSet; 0 until made.
	setKey  uint64
	path    string
	gen     int // the Renderer's gen of the last render that had the note
	made    int // and of the render that made the memo
	info    *noteInfo
	anchors anchors
	links   []string // the destinations of the note's own links
	// targets holds the id of the note each link leads to, or "", among
	// the notes whose ids, paths and slugs hash to noteSet.
	targets []string
	noteSet uint64
	sig     uint64 // title, page and anchors: what other pages show of it
	lines   int    // lineCount of the note
	// mentions hashes, per entity, the note's mentions of it as the
	// entity's page shows them, so that an entity's key costs one step
	// per note rather than one per mention.
	mentions map[string]uint64
	// listKey hashes what the list of all notes shows of the note, made
	// the first time that list's key is; never 0.
	listKey uint64
	// linksKey hashes the note's own link destinations, made once; never 0.
	linksKey uint64
	// pageKey is the key of the note's page, made under the note kind's
	// key pageKind, kept while neither nor the note's targets change.
	pageKey, pageKind uint64
}

type pageMemo struct {
	key uint64
	// later says the page is not made yet (Renderer.Later): its data is
	// nil, and note, if it is a note's page, says what links into it may
	// name.
	later  bool
	note   *noteMemo
	refs   []string // entity ids the page links to (data-e)
	assets []string // hashed asset paths the page names
	data   []byte
	diags  diag.List
	// lines has a bit for each n of an id="Ln" on the page: the line
	// anchors, which the pages that cite a note link to by the thousand,
	// so that checking such a link needs no search of the page.
	lines []uint64
	// ids holds the page's other ids, sorted, once idsMade (idList);
	// searched counts the links checked by a search of the page before.
	ids      []string
	idsMade  bool
	searched int
}

// idListAfter is how many links to a page are checked by searching it
// before its list of ids is made: most pages are the target of their own
// table of contents alone, and lists of every note page's ids would hold
// 40 MB at 10,000 notes.
const idListAfter = 32

// idList returns the ids of the page but its line anchors, sorted, read
// from the page the first time a link to it asks.
func (m *pageMemo) idList() []string {
	if !m.idsMade {
		m.ids, m.idsMade = otherIDs(m.data), true
	}
	return m.ids
}

// RenderStats says how much a Render did.
type RenderStats struct {
	Pages    int // HTML pages in the site
	Rendered int // pages made by executing their template
	Parsed   int // notes parsed to make their pages
	// Fragments counts the fragments (Page.Fragment) that the pages made
	// took from their last making instead of executing them again.
	Fragments int
	// Changed lists the files whose bytes differ from the last render,
	// added ones included; Removed the files that are gone. AssetOnly
	// lists the pages among Changed that differ only in the hashed names
	// of the assets they link to.
	Changed, Removed, AssetOnly []string
}

// NewRenderer returns a Renderer that has rendered nothing yet.
func NewRenderer() *Renderer {
	return &Renderer{seed: maphash.MakeSeed(), notes: map[string]*noteMemo{}, pages: map[string]*pageMemo{},
		links: map[string]uint64{}, linkers: map[string]map[string]struct{}{}, assets: map[string]string{}, minified: map[[32]byte][]byte{}}
}

// Render makes the site as Build does, reusing what it made last time.
// A note with a nil Doc must be unchanged since the last Render, with the
// same mentions in g (they depend on the note and the catalog alone); the
// Renderer parses it with p again if its page must be made. A note with a
// Doc is taken as changed: its page is made again. Render changes the
// Docs it is given, as Build does.
func (r *Renderer) Render(p *parse.Parser, notes []*Note, g *graph.Graph, opts Options) ([]output.File, diag.List, RenderStats) {
	return r.RenderDelta(p, notes, g, graph.Delta{}, opts)
}

// RenderDelta is Render for a graph that d says how it differs from the
// graph of the last render (d.From): the index of the graph is made from
// the last one, and only the entities d names, or whose mentions are in
// the notes d names, have their facts and mentions hashed again. With a
// d of another graph, it is Render.
func (r *Renderer) RenderDelta(p *parse.Parser, notes []*Note, g *graph.Graph, d graph.Delta, opts Options) ([]output.File, diag.List, RenderStats) {
	var diags diag.List
	var st RenderStats
	// The pages the last render left are made by what it knew, which the
	// index made below takes maps of: this render's pages, or none.
	r.later = nil
	if r.frags == nil {
		r.frags = newFragmentStore(r.seed)
	}
	r.frags.count()
	b := &builder{parser: p, opts: opts, minified: r.minified, frags: r.frags}
	if b.opts.Title == "" {
		b.opts.Title = "Notes"
	}
	b.base, b.basePath = normalizeBase(opts.BaseURL)
	// factsDirty holds the entities whose facts must be hashed again; nil:
	// all of them, and the mentions of all of them too. before holds the
	// memos of the notes d names, as they were.
	var x *index
	var factsDirty map[string]bool
	if g != nil && d.From != nil && d.From == r.graph && r.index != nil {
		x, factsDirty = r.updateIndex(g, d), d.Entities
	}
	if x == nil || factsDirty == nil {
		x, factsDirty = newIndex(g, nil), nil
	}
	before := map[string]*noteMemo{}
	for id := range d.Notes {
		before[id] = r.notes[id]
	}
	b.x = x
	b.site = &Site{Title: b.opts.Title, BaseURL: b.base, NoteCount: len(notes),
		HasGraph: len(x.entity) > 0, Absolute: strings.Contains(b.base, "://")}
	// updateIndex may have taken maps of the last index for x: a render
	// that stops here must not leave that index for the next to start from.
	if err := b.loadAssets(&diags); err != nil {
		if !diags.HasErrors() {
			diags.Errorf("assets", 0, "assets", "%v", err)
		}
		r.index, r.graph = nil, nil
		return nil, diags, st
	}
	kinds, lists := pageKinds(g, x, len(notes), opts.Templates)
	nComps := 0
	if g != nil && len(x.entity) > 0 {
		nComps = len(g.Comparisons)
	}
	ts, err := b.loadTemplatesFrom(r.templates, kinds)
	if err != nil {
		diags.Errorf("templates", 0, "template", "%v", err)
		r.index, r.graph = nil, nil
		return nil, diags, st
	}
	r.templates = ts

	// Notes: the changed ones are read whole; the others come from memory.
	// A note's memo hangs on the note (Note.memo) as well as in r.notes: a
	// caller keeps its notes from one render to the next, and the loops
	// over 10,000 notes that every render makes then read no map.
	fresh := map[string]bool{}
	var freshNotes []*Note // the notes of fresh, in order
	r.gen++
	for _, n := range notes {
		id := n.Source.ID
		m := n.memo
		own := m != nil && m.owner == r && m.id == id
		if !own {
			m = r.notes[id]
		}
		if n.Doc == nil && n.Prep == nil && m != nil && m.hash == n.Source.Hash {
			// The index's maps of notes and titles may be the last one's
			// (updateIndex), which has this note already.
			if !x.keptNotes || !own || m.indexed != n || !m.current {
				x.notes[id], x.titles[id], m.indexed = n, m.title, n
			}
			m.gen, n.memo = r.gen, m
			continue
		}
		x.notes[id] = n
		n.memo = nil
		if n.Doc == nil && n.Prep == nil {
			n.cleaned()
			n.Doc = p.Parse(n.Clean.Text, parse.Options{Format: n.Clean.Format})
			st.Parsed++
		}
		fresh[id] = true
		freshNotes = append(freshNotes, n)
		if n.Doc == nil {
			x.titles[id] = n.Prep.title
		} else {
			x.titles[id] = n.Title()
		}
		if !d.Notes[id] {
			// The entities that cite it or are mentioned in it are unknown.
			factsDirty = nil
		}
	}
	// Each note's part is hashed once and kept on its memo: hashing the
	// ids, paths and slugs of 10,000 notes cost 2.5 ms an edit.
	set := r.hash()
	for _, n := range notes {
		m := n.memo
		if m == nil || m.setKey == 0 || m.path != n.Source.Path || m.slug != n.Source.Slug {
			h := r.hash()
			h.str(n.Source.ID, n.Source.Path, n.Source.Slug)
			if m == nil {
				set.u64(h.sum())
				continue
			}
			m.setKey, m.path = h.sum(), n.Source.Path
		}
		set.u64(m.setKey)
	}
	// Which note a link leads to depends on the notes there are and on
	// nothing else: each note's are kept while they are the same, and so
	// are the maps from paths and slugs to notes, but for the notes made
	// again.
	noteSet := set.sum()
	if r.bySourcePath == nil || r.noteSet != noteSet {
		r.bySourcePath = make(map[string]*Note, len(notes))
		r.bySlug = make(map[string]*Note, len(notes))
		for _, n := range notes {
			r.bySourcePath[n.Source.Path] = n
			r.bySlug[n.Source.Slug+".html"] = n
		}
		r.noteSet = noteSet
	} else {
		for _, n := range freshNotes {
			r.bySourcePath[n.Source.Path] = n
			r.bySlug[n.Source.Slug+".html"] = n
		}
	}
	bySourcePath, bySlug := r.bySourcePath, r.bySlug
	if r.info == nil {
		r.info, r.anchors = map[string]*noteInfo{}, map[string]anchors{}
	}
	// prepare makes the memo of a note read whole; each note's on every
	// core, as Build decorates them (a first render has 10,000).
	prepare := func(n *Note) *noteMemo {
		id := n.Source.ID
		var info *noteInfo
		var links []string
		var a anchors
		if n.Doc == nil {
			info, links, a = n.Prep.info, n.Prep.links, n.Prep.anchors
		} else {
			info = newNoteInfo(n, x.titles[id])
			links = noteLinks(n)
			a, _ = decorateNote(n, x)
		}
		m := &noteMemo{owner: r, id: id, hash: n.Source.Hash, title: x.titles[id], slug: n.Source.Slug, url: NoteURL(n.Source.Slug),
			info: info, anchors: a, links: links, lines: lineCount(n.Source.Raw), gen: r.gen, made: r.gen}
		h := r.hash()
		h.str(m.title, n.Source.Slug)
		h.ints(a...)
		for _, hd := range info.headings {
			h.str(hd.ID)
		}
		m.sig = h.sum()
		// What the note's mentions of each entity show: their text and
		// place, folded in order, then the note's id, title and slug once
		// (see mentionStep).
		// One hasher is reset for each: a first render hashes half a
		// million mentions, and a hasher is 200 bytes.
		m.mentions = map[string]uint64{}
		for _, mn := range x.byNote[id] {
			h.h.Reset()
			h.u64(m.mentions[mn.Entity])
			h.str(mn.Text, mn.Sentence)
			h.ints(mn.Line, a.nearest(mn.Line))
			m.mentions[mn.Entity] = h.sum()
		}
		for e, v := range m.mentions {
			h.h.Reset()
			h.u64(v)
			h.str(id, m.title, m.slug)
			m.mentions[e] = h.sum()
		}
		return m
	}
	prepared := make([]*noteMemo, len(freshNotes))
	par.ForEach(len(freshNotes), func(i int) { prepared[i] = prepare(freshNotes[i]) })
	for i, n := range freshNotes {
		m := prepared[i]
		// A note read again with the same bytes (its mentions change with
		// the catalog) comes with a Prep; once read, it is as remembered.
		n.Prep = nil
		if old := r.notes[m.id]; old != nil {
			old.current = false
		}
		m.current = true
		r.notes[m.id], n.memo = m, m
		r.info[m.id], r.anchors[m.id] = m.info, m.anchors
	}
	// The notes that are gone: those whose memo this render did not see.
	if len(r.notes) != len(notes) {
		for id, m := range r.notes {
			if m.gen != r.gen {
				m.current = false
				delete(r.notes, id)
				delete(r.info, id)
				delete(r.anchors, id)
			}
		}
	}
	b.info, b.anchors = r.info, r.anchors

	// Keys.
	l := b.linker("")
	links := map[string]uint64{} // of each entity, what a link to it shows
	changedLink := map[string]bool{}
	for id, e := range x.entity {
		// What a page shows of an entity it links to: the link (name,
		// address, colour). Its counts and summary are in PreviewsPath,
		// which no page embeds.
		lh := r.hash()
		lh.link(l.entity(e))
		links[id] = lh.sum()
		if old, ok := r.links[id]; !ok || old != links[id] {
			changedLink[id] = true
		}
	}
	for id := range r.links {
		if _, ok := links[id]; !ok {
			changedLink[id] = true
		}
	}
	r.links = links

	global := r.hash()
	// The note count is left out: only templates that show it depend on
	// it (see kindKey), and a new note would otherwise make every page again.
	siteKey := *b.site
	siteKey.NoteCount = 0
	global.str(b.opts.Title, b.base, strconv.FormatBool(b.opts.BrokenLinksWarn), fmt.Sprint(siteKey), fmt.Sprint(l.nav()))
	names := make([]string, 0, len(b.assets))
	for name := range b.assets {
		names = append(names, name)
	}
	slices.Sort(names)
	global.str(names...)
	globalSum := global.sum()
	kindKey := map[string]uint64{}
	for _, k := range kinds {
		h := r.hash()
		h.u64(globalSum)
		for _, f := range []string{"base.html", "partials.html", k + ".html"} {
			data, _ := fs.ReadFile(b.opts.Templates, f)
			h.str(f)
			h.bytes(data)
			if bytes.Contains(data, []byte("Site.NoteCount")) {
				h.ints(len(notes))
			}
		}
		kindKey[k] = h.sum()
	}
	// What a category shows, on its page and on the home page: hashed
	// once per render, as it reads every member and their comparisons.
	catKeys := map[string]uint64{}
	catKey := func(c *graph.Entity) uint64 {
		k, ok := catKeys[c.ID]
		if !ok {
			h := r.hash()
			h.category(l.category(c))
			k = h.sum()
			catKeys[c.ID] = k
		}
		return k
	}
	sigOf := func(note string) uint64 {
		if m := r.notes[note]; m != nil {
			return m.sig
		}
		return 0
	}
	// A page that cites a line of a note shows the note's title and links
	// to its page at the anchor nearest the line: those, not the whole
	// note, are its inputs.
	// Only the sources a page lists are its inputs, and their count.
	sources := func(h *hasher, ss []graph.Source) {
		picked, more := pickSources(ss)
		h.ints(more)
		for _, i := range picked {
			s := &ss[i]
			h.str(s.Note, s.Text)
			h.ints(s.Line)
			if m := r.notes[s.Note]; m != nil {
				h.str(m.title, m.slug)
				h.ints(m.anchors.nearest(s.Line))
			}
		}
	}

	// Comparisons are shown on the pages of each of their entities: hash
	// each once. A comparison the last graph has too keeps its hash: it is
	// the same, and so are the notes it cites, unless it is a table built
	// from facts and the facts of one of its entities cite a note that
	// changed (its title or anchors) while the facts did not. Every other
	// comparison is of one note, and made again when that note changes.
	compKey := map[*graph.Comparison]uint64{}
	comps := map[compID]uint64{}
	if g != nil {
		for i := range g.Comparisons {
			c := &g.Comparisons[i]
			id := compIDOf(c)
			k, ok := r.comps[id]
			if ok && factsDirty != nil && c.Kind == "built" {
				for _, e := range c.Entities {
					if factsDirty[e] {
						ok = false
						break
					}
				}
			}
			if !ok || factsDirty == nil {
				h := r.hash()
				hashComparison(h, c, sources)
				k = h.sum()
			}
			compKey[c], comps[id] = k, k
		}
	}

	// A job makes one page: a note's, an entity's or a comparison's with
	// the functions below (each page a closure would be 12,000
	// allocations an edit), any other with its own make.
	type job struct {
		path  string
		kind  string
		key   uint64
		fresh bool
		note  *Note
		ent   *graph.Entity
		comp  *graph.Comparison
		make  func(*diag.List)
	}
	jobs := make([]job, 0, len(notes)+len(x.entity)+len(compKey)+4)
	r.urlBound = cap(jobs)
	add := func(pth, kind string, key uint64, fresh bool, make func(*diag.List)) {
		jobs = append(jobs, job{path: pth, kind: kind, key: key, fresh: fresh, make: make})
	}

	// Home: the first notes, the counts and the categories; the list
	// pages, all notes and all comparisons.
	{
		h := r.hash()
		h.u64(kindKey["home"])
		h.ints(len(notes), nComps)
		for _, n := range notes[:min(len(notes), HomeNotes)] {
			m := n.memo
			h.str(m.title, n.Source.Slug, n.Source.Path)
			h.ints(len(m.info.headings), m.lines)
		}
		if g != nil {
			h.ints(len(g.Facts), len(g.Conflicts))
			for _, c := range x.categories {
				h.u64(catKey(c))
			}
			for i := range g.Comparisons[:min(nComps, HomeComparisons)] {
				h.link(l.comparison(&g.Comparisons[i]))
			}
		}
		add("index.html", "home", h.sum(), false, func(d *diag.List) {
			// The home page asks each note for its title, which would need
			// its AST: it gets notes whose front matter holds the title.
			titled := make([]*Note, len(notes))
			for i, n := range notes {
				src := *n.Source
				src.Front.Title = x.titles[n.Source.ID]
				titled[i] = &Note{Source: &src, Clean: n.Clean, Doc: n.Doc}
			}
			b.homePage(titled, d)
		})
		for _, p := range lists {
			h := r.hash()
			h.u64(kindKey["list"])
			h.str(p)
			if p == NotesListPath {
				// A sum of each note's part: the list's order follows from
				// the notes it lists, and a note's part is made once.
				var sum uint64
				for _, n := range notes {
					m := n.memo
					if m.listKey == 0 {
						nh := r.hash()
						nh.str(m.title, n.Source.Slug, n.Source.Path)
						m.listKey = nh.sum() | 1
					}
					sum += m.listKey
				}
				h.u64(sum)
				h.ints(len(notes))
				add(p, "list", h.sum(), false, func(d *diag.List) { b.notesListPage(notes, d) })
				continue
			}
			for i := range g.Comparisons {
				h.link(l.comparison(&g.Comparisons[i]))
			}
			add(p, "list", h.sum(), false, func(d *diag.List) { b.comparisonsListPage(d) })
		}
	}
	noteKind := kindKey["note"]
	for _, n := range notes {
		m := n.memo
		if m.targets == nil || m.noteSet != noteSet {
			m.targets, m.noteSet = make([]string, len(m.links)), noteSet
			for i, dest := range m.links {
				if t := linkTarget(n, dest, bySourcePath, bySlug); t != nil {
					m.targets[i] = t.Source.ID
				}
			}
			m.pageKey = 0
		}
		// The page's key changes with its note (a new memo), its kind's
		// key, the notes there are (targets) and what it shows of the
		// notes it links to, which changes only with those notes.
		if m.pageKey == 0 || m.pageKind != noteKind || anyIn(m.targets, fresh) {
			h := r.hash()
			h.u64(noteKind)
			h.u64(m.sig)
			h.bytes(n.Source.Hash[:])
			if m.linksKey == 0 {
				lh := r.hash()
				lh.str(m.links...)
				m.linksKey = lh.sum() | 1
			}
			h.u64(m.linksKey)
			for _, t := range m.targets {
				if t != "" {
					h.u64(sigOf(t))
				} else {
					h.u64(0)
				}
			}
			m.pageKey, m.pageKind = h.sum(), noteKind
		}
		jobs = append(jobs, job{path: m.url, kind: "note", key: m.pageKey, fresh: m.made == r.gen, note: n})
	}
	// makeNote makes a note's page. Note pages are made on every core:
	// each changes its own note's tree alone, and b.info, which the check
	// of links into other notes reads, is left as it is.
	var parsed atomic.Int32
	makeNote := func(n *Note, fresh bool, d *diag.List) {
		n.cleaned()
		info := b.info[n.Source.ID]
		// A note read whole without its tree (Prep) is parsed again too.
		reparse := !fresh || n.Doc == nil
		if reparse {
			if n.Doc == nil {
				n.Doc = p.Parse(n.Clean.Text, parse.Options{Format: n.Clean.Format})
				parsed.Add(1)
			}
			// The page needs the decorated AST and a title heading of this
			// parse; the anchors are the same as remembered.
			info = newNoteInfo(n, x.titles[n.Source.ID])
			decorateNote(n, x)
		}
		var ld diag.List
		rewriteLinks(n, bySourcePath, &ld)
		b.checkNoteFragments(n, bySlug, &ld)
		for _, e := range ld {
			b.linkProblem(d, e.Path, e.Line, "%s", e.Msg)
		}
		b.notePage(n, info, d)
		if reparse {
			n.Doc = nil // parsed for this page only: the AST is the largest part of a note
		}
	}
	factKeys := make(map[string]uint64, len(x.entity))
	topicKeys := map[string]map[string]uint64{}
	topicOrder := map[string][]string{} // entity → its topics of topicKeys, in bigTopics' order
	mentionKeys := r.mentionKeys(x, d, before, factsDirty != nil, len(freshNotes) == len(notes))
	if g != nil && len(x.entity) > 0 {
		// An entity's key reads its facts and mentions: the largest part of
		// the work of deciding what to make, and each entity's is its own.
		// The hash of its facts is kept for the entities whose facts did
		// not change; the rest of the key is cheap.
		ents := x.sortedEntities()
		var todo []*graph.Entity
		for _, e := range ents {
			if k, ok := r.facts[e.ID]; ok && factsDirty != nil && !factsDirty[e.ID] {
				factKeys[e.ID] = k
				if t := r.topics[e.ID]; t != nil {
					topicKeys[e.ID], topicOrder[e.ID] = t, r.topicOrder[e.ID]
				}
			} else {
				todo = append(todo, e)
			}
		}
		sums := make([]uint64, len(todo))
		tsums := make([]map[string]uint64, len(todo))
		torder := make([][]string, len(todo))
		var wg sync.WaitGroup
		workers := min(runtime.GOMAXPROCS(0), len(todo))
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := w; j < len(todo); j += workers {
					h := r.hash()
					tsums[j], torder[j] = r.entityFacts(h, x, todo[j], sources)
					sums[j] = h.sum()
				}
			}()
		}
		wg.Wait()
		for j, e := range todo {
			factKeys[e.ID] = sums[j]
			if tsums[j] != nil {
				topicKeys[e.ID], topicOrder[e.ID] = tsums[j], torder[j]
			}
		}
		keys := make([]uint64, len(ents))
		for i, e := range ents {
			kind := "entity"
			if e.Kind == "category" {
				kind = "category"
			}
			h := r.hash()
			h.u64(kindKey[kind])
			h.u64(factKeys[e.ID])
			h.u64(mentionKeys[e.ID])
			r.entityInputs(h, x, e, compKey, catKey)
			keys[i] = h.sum()
		}
		for i, e := range ents {
			kind := "entity"
			if e.Kind == "category" {
				kind = "category"
			}
			jobs = append(jobs, job{path: r.entityURL(e), kind: kind, key: keys[i], ent: e})
		}
		// The pages of topics too large for their entity's page: each made
		// again when its own facts change, or the entity's name and place.
		for _, e := range ents {
			tk := topicKeys[e.ID]
			if tk == nil {
				continue
			}
			for _, t := range topicOrder[e.ID] {
				h := r.hash()
				h.u64(kindKey["topic"])
				h.u64(tk[t])
				h.str(t)
				h.entity(e)
				if c := x.categoryOf(e); c != nil {
					h.str(c.ID, c.Name)
				}
				seen := map[string]bool{e.ID: true}
				for p := x.entity[e.Parent]; p != nil && !seen[p.ID]; p = x.entity[p.Parent] {
					seen[p.ID] = true
					h.str(p.ID, p.Name)
				}
				add(TopicURL(e, t), "topic", h.sum(), false, func(d *diag.List) { b.topicPage(e, t, d) })
			}
		}
		for i := range g.Comparisons {
			c := &g.Comparisons[i]
			h := r.hash()
			h.u64(kindKey["comparison"])
			h.u64(compKey[c])
			jobs = append(jobs, job{path: r.comparisonURL(c.ID), kind: "comparison", key: h.sum(), comp: c})
		}
		h := r.hash()
		h.u64(kindKey["graph"])
		for _, e := range g.Edges {
			h.str(e.From, e.To, e.Kind)
			h.ints(e.Weight)
		}
		// The graph draws the entities the notes know, as links: a page
		// made again when a link it shows changes, like any page.
		for _, e := range x.sortedEntities() {
			h.str(e.ID, strconv.FormatBool(x.known(e.ID)))
			h.ints(x.degree[e.ID])
			h.u64(links[e.ID])
		}
		add("graph.html", "graph", h.sum(), false, func(d *diag.List) { b.graphPage(d) })
	}
	if b.tmpl["search"] != nil {
		add("search.html", "search", kindKey["search"], false, func(d *diag.List) { b.searchPage(d) })
	}
	add("404.html", "404", kindKey["404"], false, func(d *diag.List) {
		b.page(&Page{Kind: "404", Path: "404.html", Title: "Page not found",
			Description: "There is no page at this address.", root: b.basePath}, d)
	})

	// Render what changed.
	oldAssets := r.assets
	r.assets = b.assets
	renamed := map[string]string{} // old hashed path → new
	for name, old := range oldAssets {
		if now, ok := b.assets[name]; ok && now != old {
			renamed[old] = now
		}
	}
	// Each page is kept or made again. Making pages runs on every core:
	// the home page of a large site takes as long to make as the rest
	// together. Note pages are made first, as Build makes them: making
	// one changes its note's tree for a while.
	// memos[i] is the page of jobs[i], as pages has it: the loops over
	// every page below read it instead of the map.
	// r.pages is changed in place: at 12,000 pages a new map each render
	// cost more than the pages an edit makes. The pages that link to an
	// entity whose links changed are found in r.linkers, not by reading
	// every page's links.
	pages := r.pages
	relink := map[string]bool{}
	for id := range changedLink {
		for pth := range r.linkers[id] {
			relink[pth] = true
		}
	}
	memos := make([]*pageMemo, len(jobs))
	order := make([]string, 0, len(jobs))
	var rendered []string
	var toMake []int // indices in jobs
	// With r.Later, a page of a kind that laterKind names and that no one
	// has asked for is left unmade, but for the first of its kind that
	// must be made when its templates are not those a page of the kind
	// was last made with (r.tried): that page tells a broken template at
	// once. An edit of a note then makes no page of the busy service it
	// names unless the service's page is open.
	var canary map[string]bool
	nLater := 0 // pages left unmade
	if r.Later {
		canary = map[string]bool{}
		if r.tried == nil {
			r.tried = map[string]uint64{}
		}
		for kind, k := range r.tried {
			if k == kindKey[kind] {
				canary[kind] = true
			}
		}
	}
	for i, j := range jobs {
		order = append(order, j.path)
		// The pages come in the order of the last render's, but for pages
		// added or gone: a page at the same place needs no look in the map.
		var old *pageMemo
		if i < len(r.order) && r.order[i] == j.path {
			old = r.memos[i]
		} else {
			old = pages[j.path]
		}
		if old != nil && !j.fresh && old.key == j.key && !relink[j.path] && (!old.later || r.Later) {
			memos[i] = old
			if old.later {
				nLater++
			}
			continue
		}
		if r.Later && laterKind(j.kind) && (old == nil || old.later) {
			if canary[j.kind] {
				m := &pageMemo{key: j.key, later: true}
				if j.note != nil {
					m.note = j.note.memo
				}
				r.setPage(j.path, m)
				memos[i] = m
				nLater++
				continue
			}
		}
		if r.Later {
			canary[j.kind] = true
		}
		toMake = append(toMake, i)
		rendered = append(rendered, j.path)
	}

	var notePages, others []int
	for _, i := range toMake {
		if jobs[i].kind == "note" {
			notePages = append(notePages, i)
		} else {
			others = append(others, i)
		}
	}
	// The costliest first, so that they do not run alone at the end.
	slices.SortStableFunc(others, func(a, c int) int { return cmp.Compare(makeRank(jobs[a].kind), makeRank(jobs[c].kind)) })
	b.files = b.files[:0]
	made := make([]diag.List, len(jobs))
	run := func(i int) {
		j, d := &jobs[i], &made[i]
		switch {
		case j.note != nil:
			makeNote(j.note, j.fresh, d)
		case j.ent != nil && j.ent.Kind == "category":
			b.categoryPage(j.ent, d)
		case j.ent != nil:
			b.entityPage(j.ent, d)
		case j.comp != nil:
			b.comparisonPage(j.comp, d)
		default:
			j.make(d)
		}
	}
	// Note pages first: the others read the notes' trees.
	par.ForEach(len(notePages), func(k int) { run(notePages[k]) })
	par.ForEach(len(others), func(k int) { run(others[k]) })
	// A note's info points at its leading heading, a node of its tree,
	// which the page just made was the last to need: kept, it would keep
	// every note's tree for as long as the Renderer lives.
	for _, m := range prepared {
		m.info.titleHeading = nil
	}
	st.Parsed += int(parsed.Load())
	st.Rendered = len(toMake)
	st.Fragments = r.frags.count()
	data := make(map[string][]byte, len(b.files))
	for _, f := range b.files {
		data[f.Path] = f.Data
	}
	// newMemo is the memo of the page of jobs[i], made with diagnostics d.
	newMemo := func(i int, d diag.List, data []byte) *pageMemo {
		j := &jobs[i]
		m := &pageMemo{key: j.key, diags: d, data: data}
		if m.data == nil && !d.HasErrors() {
			m.diags.Errorf(j.path, 0, "render", "page not made")
		}
		m.refs = entityRefs(m.data)
		m.lines = lineAnchors(m.data)
		for _, hashed := range b.assets {
			if bytes.Contains(m.data, []byte(hashed)) {
				m.assets = append(m.assets, hashed)
			}
		}
		return m
	}
	madePages := make([]*pageMemo, len(toMake))
	par.ForEach(len(toMake), func(k int) {
		i := toMake[k]
		madePages[k] = newMemo(i, made[i], data[jobs[i].path])
	})
	renderedSet := make(map[string]bool, len(toMake))
	for k, i := range toMake {
		if r.Later && madePages[k].data != nil {
			r.tried[jobs[i].kind] = kindKey[jobs[i].kind]
		}
		pth := jobs[i].path
		if old := pages[pth]; old == nil || !bytes.Equal(old.data, madePages[k].data) {
			st.Changed = append(st.Changed, pth)
		}
		r.setPage(pth, madePages[k])
		memos[i] = madePages[k]
		renderedSet[pth] = true
	}

	// Pages made before keep their bytes, with the new names of the assets
	// that changed.
	for i, pth := range order {
		if len(renamed) == 0 {
			break // no asset was renamed: nothing to do for any page
		}
		m := memos[i]
		if renderedSet[pth] || m.later {
			continue
		}
		data := m.data
		var now []string
		for _, a := range m.assets {
			if to, ok := renamed[a]; ok {
				data = bytes.ReplaceAll(data, []byte(a), []byte(to))
				a = to
			}
			now = append(now, a)
		}
		if !bytes.Equal(data, m.data) {
			m2 := *m
			m2.data, m2.assets, m2.lines = data, now, lineAnchors(data)
			pages[pth], memos[i] = &m2, &m2 // the same links: r.linkers holds
			st.Changed = append(st.Changed, pth)
			st.AssetOnly = append(st.AssetOnly, pth)
		}
	}
	// Pages of the last render that this one has not.
	if !slices.Equal(order, r.order) {
		now := make(map[string]bool, len(order))
		for _, pth := range order {
			now[pth] = true
		}
		for _, pth := range r.order {
			if !now[pth] {
				st.Removed = append(st.Removed, pth)
				r.setPage(pth, nil)
				r.frags.drop(pth)
			}
		}
	}
	r.order, r.memos = order, memos

	// Links the templates and the graph make, checked on the pages made
	// now: a page not made again links to what it linked to before.
	b.files = b.files[:0]
	assetSet := make(map[string]bool, len(b.assets))
	for _, hashed := range b.assets {
		assetSet[hashed] = true
	}
	// pages still holds the last render's other files (the sitemap, the
	// assets by their old names): they are not pages a link may name.
	lastExtra := make(map[string]bool, len(r.extra))
	for _, pth := range r.extra {
		lastExtra[pth] = true
	}
	exists := func(pth string) bool { return pages[pth] != nil && !lastExtra[pth] || assetSet[pth] }
	par.ForEach(len(rendered), func(i int) { r.checkLinks(b, rendered[i], pages, exists) })

	files := make([]output.File, 0, len(order)+len(b.assetFiles)+3)
	b.pages = make([]string, 0, len(order))
	for i, pth := range order {
		m := memos[i]
		diags = append(diags, m.diags...)
		if m.data != nil || m.later {
			files = append(files, output.File{Path: pth, Data: m.data})
			if pth != "404.html" {
				b.pages = append(b.pages, pth)
			}
		}
	}
	st.Pages = len(files)
	var extra []output.File
	if b.site.HasGraph {
		extra = append(extra, output.File{Path: PreviewsPath, Data: b.previewsScript()})
	}
	// The sitemap lists the pages: made again only when they or the base
	// URL are not those of the last one.
	if r.sitemap == nil || r.sitemapBase != b.base || !slices.Equal(r.sitemapPages, b.pages) {
		r.sitemap, r.sitemapBase, r.sitemapPages = b.sitemap(), b.base, b.pages
	}
	extra = append(extra, output.File{Path: "sitemap.xml", Data: r.sitemap}, output.File{Path: "robots.txt", Data: b.robots()})
	extra = append(extra, b.assetFiles...)
	extraPaths := make(map[string]bool, len(extra))
	for _, f := range extra {
		if old, ok := pages[f.Path]; !ok || !bytes.Equal(old.data, f.Data) {
			st.Changed = append(st.Changed, f.Path)
			pages[f.Path] = &pageMemo{data: f.Data}
		}
		extraPaths[f.Path] = true
	}
	for _, pth := range r.extra {
		if !extraPaths[pth] {
			delete(pages, pth)
			st.Removed = append(st.Removed, pth)
		}
	}
	r.extra = r.extra[:0]
	for _, f := range extra {
		r.extra = append(r.extra, f.Path)
	}
	files = append(files, extra...)
	r.graph, r.index, r.facts, r.topics, r.mentions, r.comps = g, x, factKeys, topicKeys, mentionKeys, comps
	r.topicOrder = topicOrder
	if nLater > 0 {
		// What this render knew makes the pages it left, until the next
		// render: their notes are parsed again, as an unchanged note's
		// page is, since the caller may have let the trees go. Where each
		// is among the jobs is found when the first is asked for: most
		// renders of a preview are followed by none.
		var later map[string]int // path → index in jobs
		r.later = func(pth string) ([]byte, diag.List, bool) {
			if later == nil {
				later = make(map[string]int, nLater)
				for i, m := range memos {
					if m.later {
						later[order[i]] = i
					}
				}
			}
			i, ok := later[pth]
			if !ok {
				return nil, nil, false
			}
			j := &jobs[i]
			var d diag.List
			b.files, b.pages = b.files[:0], nil
			if j.note != nil {
				j.note.Doc = nil
				makeNote(j.note, false, &d)
			} else {
				run(i)
				d = made[i]
			}
			var data []byte
			for _, f := range b.files {
				if f.Path == pth {
					data = f.Data
				}
			}
			b.files = b.files[:0]
			m := newMemo(i, d, data)
			if m.data == nil {
				// Left unmade, to be tried again and to say why again: a
				// page that failed is not a page made.
				return nil, m.diags, true
			}
			delete(later, pth)
			r.setPage(pth, m)
			memos[i] = m
			r.checkLinks(b, pth, pages, exists)
			return m.data, m.diags, true
		}
	}
	slices.Sort(st.Changed)
	slices.Sort(st.Removed)
	st.Removed = slices.Compact(st.Removed)
	diags.Sort()
	return files, diags, st
}

// entityURL is EntityURL, kept by the Renderer: the paths of the pages
// that an edit leaves as they were would otherwise be made again at
// every render.
func (r *Renderer) entityURL(e *graph.Entity) string {
	u, ok := r.entityURLs[e.ID]
	if !ok || strings.HasPrefix(u, "categories/") != (e.Kind == "category") {
		u = EntityURL(e)
		r.entityURLs = keepURL(r.entityURLs, e.ID, u, r.urlBound)
	}
	return u
}

// comparisonURL is ComparisonURL, kept as entityURL is.
func (r *Renderer) comparisonURL(id string) string {
	u, ok := r.compURLs[id]
	if !ok {
		u = ComparisonURL(id)
		r.compURLs = keepURL(r.compURLs, id, u, r.urlBound)
	}
	return u
}

// keepURL adds u to urls, which it makes afresh when it holds more than
// twice the site's pages: the URLs of pages long gone are dropped so.
func keepURL(urls map[string]string, key, u string, pages int) map[string]string {
	if urls == nil || len(urls) > 2*pages+64 {
		urls = map[string]string{}
	}
	urls[key] = u
	return urls
}

// laterKind reports whether pages of kind may be left unmade until asked
// for (Renderer.Later): the pages that there are one of per note, entity
// or comparison, which are most of a site's and most of its making.
func laterKind(kind string) bool {
	switch kind {
	case "note", "entity", "topic", "comparison":
		return true
	}
	return false
}

// MakeLater makes a page that the last render left unmade (Later) and
// returns it with its diagnostics, its links checked as a render checks
// them; the next render keeps it as a page made. It reports false for a
// path that names no such page: a page made already is in the render's
// files. A live preview makes a page so the first time a browser asks for
// it, and a 10,000-note site is served seconds sooner.
func (r *Renderer) MakeLater(pth string) ([]byte, diag.List, bool) {
	if r.later == nil {
		return nil, nil, false
	}
	return r.later(pth)
}

// makeRank orders the kinds of pages by how long one takes to make, the
// longest first.
func makeRank(kind string) int {
	switch kind {
	case "home":
		return 0
	case "graph":
		return 1
	case "category":
		return 2
	case "entity":
		return 3
	}
	return 4
}

// checkLinks checks the links of one page made now, and adds what is
// broken to its diagnostics, as Build's check does for every page.
func (r *Renderer) checkLinks(b *builder, pth string, pages map[string]*pageMemo, exists func(string) bool) {
	m := pages[pth]
	if !strings.HasSuffix(pth, ".html") || m.data == nil {
		return
	}
	// A line anchor is in the target page's set of them. Another id is
	// looked for in the page, until the page has been searched so often
	// (idListAfter) that its sorted list of ids (idList) costs less: a
	// page that many pages link into would be searched once per link. The
	// page's links to itself (its table of contents) are checked in a
	// list of its ids made for this check alone, as a large page would
	// otherwise be searched 32 times over at every making. A miss reads
	// the list, which holds the ids as Build's check reads them.
	var own []string
	ownMade := false
	hasID := func(target, frag string) bool {
		t := pages[target]
		if t == nil {
			return false
		}
		if t.later {
			return laterHasID(t, frag)
		}
		if hasLine(t.lines, frag) {
			return true
		}
		raw := func() bool { return bytes.Contains(t.data, []byte(` id="`+frag+`"`)) }
		// Pages are checked on every core: what a target memo keeps of its
		// ids is read and changed under r.idMu.
		r.idMu.Lock()
		made := t.idsMade
		searched := !made && t != m && t.searched < idListAfter
		if searched {
			t.searched++
		}
		r.idMu.Unlock()
		if t == m && !made {
			if !ownMade {
				own, ownMade = otherIDs(t.data), true
			}
			_, ok := slices.BinarySearch(own, frag)
			return ok || raw()
		}
		if searched && raw() {
			return true
		}
		// The raw attribute after the list too, so that the answer does
		// not depend on how often the page was searched before.
		r.idMu.Lock()
		ids := t.idList()
		r.idMu.Unlock()
		_, ok := slices.BinarySearch(ids, frag)
		return ok || !searched && raw()
	}
	reported := map[string]bool{}
	var refs refResolver
	for _, ref := range attrValues(m.data, ` href="`) {
		target, frag, ok := refs.resolve(b.basePath, pth, ref)
		if !ok || reported[ref] {
			continue
		}
		bad := ""
		switch {
		case !exists(target):
			if target == "search.html" {
				continue
			}
			bad = "page"
		case frag != "" && strings.HasSuffix(target, ".html") && !hasID(target, frag):
			bad = "anchor"
		}
		if bad != "" {
			reported[ref] = true
			b.linkProblem(&m.diags, pth, 0, "link to a missing %s %q", bad, ref)
		}
	}
}

// lineAnchors returns a set of the n of each id="Ln" in page (n written
// as strconv.Itoa writes it), or nil when there is none.
func lineAnchors(page []byte) []uint64 {
	var set []uint64
	eachAttr(page, ` id="L`, func(v []byte) {
		if n, ok := lineNumber(string(v)); ok {
			for len(set) <= n/64 {
				set = append(set, 0)
			}
			set[n/64] |= 1 << (n % 64)
		}
	})
	return set
}

// lineNumber returns n for a string that strconv.Itoa(n) makes, of a
// line number (below a million, so that a set of them stays small).
func lineNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 6 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// laterHasID reports whether a page left unmade (Renderer.Later) has the
// id frag, as far as its note tells: a note's page has an id="L<n>" for
// each of its anchors, an id="R<n>" for each raw line and the ids of its
// headings. Of the other ids of a note's page, and of other pages, nothing
// is known until the page is made: a link to them passes here, and a full
// build, which makes every page, checks it.
func laterHasID(t *pageMemo, frag string) bool {
	m := t.note
	if m == nil {
		return true
	}
	if rest, ok := strings.CutPrefix(frag, "L"); ok {
		if n, ok := lineNumber(rest); ok {
			_, found := slices.BinarySearch(m.anchors, n)
			return found
		}
	}
	if rest, ok := strings.CutPrefix(frag, "R"); ok {
		if n, ok := lineNumber(rest); ok {
			return n <= m.lines
		}
	}
	return true
}

// hasLine reports whether the set of lineAnchors has the anchor frag.
func hasLine(set []uint64, frag string) bool {
	rest, ok := strings.CutPrefix(frag, "L")
	if !ok {
		return false
	}
	n, ok := lineNumber(rest)
	return ok && n/64 < len(set) && set[n/64]&(1<<(n%64)) != 0
}

// entityFacts hashes the facts and conflicts of e as its page shows
// them: with its mentions (mentionKeys), the largest part of what the
// page is made of.
//
// It returns the hash of each topic with a page of its own (bigTopics):
// the facts of that topic alone, so that a new fact makes the page of its
// own topic again and not those of the others; and those topics in
// bigTopics' order, kept with the hashes while the facts do not change.
func (r *Renderer) entityFacts(h *hasher, x *index, e *graph.Entity, sources func(*hasher, []graph.Source)) (map[string]uint64, []string) {
	var per map[string]*hasher
	big := bigTopics(x.facts[e.ID])
	if len(big) > 0 && e.Kind != "category" {
		per = make(map[string]*hasher, len(big))
		for _, t := range big {
			per[t] = r.hash()
		}
	}
	// Each fact is hashed once, for the entity's key and its topic's.
	fh := r.hash()
	for _, f := range x.facts[e.ID] {
		fh.h.Reset()
		fh.str(f.ID, f.Topic, f.Text, f.Label)
		fh.ints(f.Notes)
		sources(fh, f.Sources)
		sum := fh.sum()
		h.u64(sum)
		if th := per[f.Topic]; th != nil {
			th.u64(sum)
		}
	}

	for _, c := range x.conflicts[e.ID] {
		h.str(c.Attribute)
		for _, v := range c.Values {
			h.str(v.Value)
			sources(h, v.Sources)
		}
	}
	if per == nil {
		return nil, nil
	}
	sums := make(map[string]uint64, len(per))
	for t, th := range per {
		sums[t] = th.sum()
	}
	return sums, big
}

// mentionKeys returns, for each entity, the hash of its mentions as its
// page shows them: the sum of one step for each note that mentions it
// (mentionStep). A page lists its mentions by note, so their order needs
// no hashing, and a sum lets a note that changed take its old step out
// and put its new one in: incremental says the keys of the last render
// are of the last index (r.index), whose notes other than those of d are
// as they were, and before has the memos of d's notes as they were.
// allFresh says every note's memo was made from x (a first render), for
// mentionKeysByNote.
func (r *Renderer) mentionKeys(x *index, d graph.Delta, before map[string]*noteMemo, incremental, allFresh bool) map[string]uint64 {
	if incremental && r.mentions != nil {
		keys := maps.Clone(r.mentions)
		for id := range d.Notes {
			for _, e := range noteEntities(x.before[id]) {
				keys[e] -= r.mentionStep(id, before[id], e)
			}
			for _, e := range noteEntities(x.byNote[id]) {
				keys[e] += r.mentionStep(id, r.notes[id], e)
			}
		}
		return keys
	}
	if allFresh {
		return r.mentionKeysByNote(x)
	}
	return r.mentionKeysByEntity(x)
}

// mentionKeysByEntity is mentionKeys made afresh from the mentions of
// each entity.
func (r *Renderer) mentionKeysByEntity(x *index) map[string]uint64 {
	// Entity by entity on every core: a large site has hundreds of
	// thousands of notes that mention an entity, a step each.
	ids := make([]string, 0, len(x.mentions))
	for e := range x.mentions {
		ids = append(ids, e)
	}
	sums := make([]uint64, len(ids))
	par.ForEach(len(ids), func(i int) {
		e, last := ids[i], ""
		for _, m := range x.mentions[e] {
			if m.Note != last {
				last = m.Note
				sums[i] += r.mentionStep(m.Note, r.notes[m.Note], e)
			}
		}
	})
	keys := make(map[string]uint64, len(ids))
	for i, e := range ids {
		keys[e] = sums[i]
	}
	return keys
}

// mentionKeysByNote is mentionKeysByEntity when every note's memo was
// made from x: the entities a note mentions are then those of its memo's
// mentions, and each note adds its steps to theirs. At 10,000 notes, the
// 286,000 steps of 309 entities took 140 ms entity by entity, most of it
// reading 565,000 mentions and looking up the memo of each note.
func (r *Renderer) mentionKeysByNote(x *index) map[string]uint64 {
	keys := make(map[string]uint64, len(x.mentions))
	for id, ms := range x.byNote {
		m := r.notes[id]
		if m == nil {
			for _, e := range noteEntities(ms) {
				keys[e] += r.mentionStep(id, nil, e)
			}
			continue
		}
		for e, v := range m.mentions {
			keys[e] += v
		}
	}
	return keys
}

// mentionStep is the part of an entity's mention key of one note that
// mentions it, whose memo is m (nil for a note the Renderer has none of):
// the memo's hash of those mentions, which holds the note's id; a note
// with no memo of them steps by its id alone.
func (r *Renderer) mentionStep(note string, m *noteMemo, entity string) uint64 {
	if m != nil {
		if v, ok := m.mentions[entity]; ok {
			return v
		}
	}
	h := r.hash()
	h.str(note)
	return h.sum()
}

// noteEntities returns the entities a note's mentions name, each once.
func noteEntities(ms []graph.Mention) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Entity) {
			out = append(out, m.Entity)
		}
	}
	return out
}

// entityInputs hashes what the page of e is made of, apart from what
// entityFacts hashes and the links to other entities (checked by refs).
func (r *Renderer) entityInputs(h *hasher, x *index, e *graph.Entity, compKey map[*graph.Comparison]uint64, catKey func(*graph.Entity) uint64) {
	h.entity(e)
	if c := x.categoryOf(e); c != nil {
		h.str(c.ID, c.Name)
	}
	for p := x.entity[e.Parent]; p != nil; p = x.entity[p.Parent] {
		h.str(p.ID)
		if p.ID == e.ID || p.Parent == p.ID {
			break
		}
	}
	for _, c := range x.children[e.ID] {
		h.str(c.ID)
	}
	if e.Kind == "category" {
		h.u64(catKey(e))
	}
	for _, c := range x.comps[e.ID] {
		h.u64(compKey[c])
	}
	for _, ed := range x.out[e.ID] {
		h.str(ed.From, ed.To, ed.Kind)
		h.ints(ed.Weight)
	}
	for _, ed := range x.in[e.ID] {
		h.str(ed.From, ed.To, ed.Kind)
		h.ints(ed.Weight)
	}
	h.ints(x.noteCount[e.ID], x.degree[e.ID])
	// The local graph draws the neighbours with their own degree.
	for _, ed := range x.out[e.ID] {
		h.ints(x.degree[ed.To])
	}
	for _, ed := range x.in[e.ID] {
		h.ints(x.degree[ed.From])
	}
}

func hashComparison(h *hasher, c *graph.Comparison, sources func(*hasher, []graph.Source)) {
	h.str(c.ID, c.Title, c.Kind)
	h.str(c.Entities...)
	for _, row := range c.Rows {
		h.str(row.Attribute, strconv.FormatBool(row.Conflict))
		keys := make([]string, 0, len(row.Cells)+len(row.Sources))
		for k := range row.Cells {
			keys = append(keys, k)
		}
		for k := range row.Sources {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			h.str(k, row.Cells[k])
			sources(h, row.Sources[k]) // cells link to the lines they come from
		}
	}
	sources(h, c.Sources)
}

// noteLinks returns the destinations of the links a note's author wrote,
// read before rewriteLinks changes them.
func noteLinks(n *Note) []string {
	var out []string
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := c.(*ast.Link); ok && entering {
			out = append(out, string(l.Destination))
		}
		return ast.WalkContinue, nil
	})
	return out
}

// linkTarget returns the note a link of n leads to, or nil.
func linkTarget(n *Note, dest string, bySourcePath, bySlug map[string]*Note) *Note {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return nil
	}
	if source.IsNoteName(u.Path) {
		return bySourcePath[path.Join(path.Dir(n.Source.Path), u.Path)]
	}
	return bySlug[u.Path]
}

// entityRefs returns the entities a page links to with data-e, sorted:
// the entities whose links the page shows, made again when one changes.
func entityRefs(page []byte) []string {
	out := attrValues(page, `data-e="`)
	slices.Sort(out)
	return slices.Compact(out)
}

// setPage makes m the page at pth (nil: there is none) and keeps
// r.linkers in step with the entities it links to.
func (r *Renderer) setPage(pth string, m *pageMemo) {
	if old := r.pages[pth]; old != nil {
		for _, e := range old.refs {
			if set := r.linkers[e]; set != nil {
				delete(set, pth)
				if len(set) == 0 {
					delete(r.linkers, e) // entities come and go in a long preview
				}
			}
		}
	}
	if m == nil {
		delete(r.pages, pth)
		return
	}
	r.pages[pth] = m
	for _, e := range m.refs {
		set := r.linkers[e]
		if set == nil {
			set = map[string]struct{}{}
			r.linkers[e] = set
		}
		set[pth] = struct{}{}
	}
}

func anyIn(ids []string, set map[string]bool) bool {
	switch len(set) {
	case 0:
		return false
	case 1:
		// An edit changes one note: every note's links are compared with
		// its id, which costs less than a look in the map for each.
		for one, in := range set {
			return in && slices.Contains(ids, one)
		}
	}
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

// updateIndex makes the index of g from the index of the last render,
// whose graph d.From is: the facts, conflicts and edges are those of the
// last index when g has the same (a Merger gives the last graph's slices
// when they are unchanged), or indexed again, which is cheap; the
// mentions and note counts are the last index's for every note and
// entity whose mentions did not change. It returns nil when g's mentions
// are not where d says: then the index must be made afresh.
func (r *Renderer) updateIndex(g *graph.Graph, d graph.Delta) *index {
	old, from := r.index, d.From
	x := newEntityIndex(g)
	sameNotes := sameNoteIDs(g.Notes, from.Notes)
	if sameNotes && old.notes != nil {
		// The same notes: RenderDelta puts in the last index's maps the
		// notes that changed, and 10,000 entries are not made again.
		x.notes, x.titles, x.keptNotes = old.notes, old.titles, true
		old.notes, old.titles = nil, nil // old is not read again: see RenderDelta
	} else {
		x.notes, x.titles = make(map[string]*Note, len(g.Notes)), make(map[string]string, len(g.Notes))
	}
	if sameSlice(g.Facts, from.Facts) {
		x.facts = old.facts
	} else {
		// A graph's facts come by entity: each entity's are a run of one
		// slice of pointers.
		x.facts = map[string][]*graph.Fact{}
		ptrs := make([]*graph.Fact, len(g.Facts))
		for i := range g.Facts {
			ptrs[i] = &g.Facts[i]
		}
		for i := 0; i < len(ptrs); {
			j := i + 1
			for j < len(ptrs) && ptrs[j].Entity == ptrs[i].Entity {
				j++
			}
			id := ptrs[i].Entity
			if x.facts[id] == nil {
				x.facts[id] = ptrs[i:j:j]
			} else {
				x.facts[id] = append(x.facts[id], ptrs[i:j]...)
			}
			i = j
		}
	}
	if sameSlice(g.Conflicts, from.Conflicts) {
		x.conflicts = old.conflicts
	} else {
		x.conflicts = map[string][]*graph.Conflict{}
		for i := range g.Conflicts {
			c := &g.Conflicts[i]
			x.conflicts[c.Entity] = append(x.conflicts[c.Entity], c)
		}
	}
	x.comps = map[string][]*graph.Comparison{}
	for i := range g.Comparisons {
		c := &g.Comparisons[i]
		for _, e := range c.Entities {
			x.comps[e] = append(x.comps[e], c)
		}
	}
	if sameSlice(g.Edges, from.Edges) {
		x.out, x.in, x.degree = old.out, old.in, old.degree
	} else {
		x.out, x.in, x.degree = map[string][]graph.Edge{}, map[string][]graph.Edge{}, map[string]int{}
		x.indexEdges(g.Edges)
	}

	// Mentions come by note: each note's are its part of the graph
	// (NoteMentions), or of g.Mentions, in the order of the notes, where a
	// note d leaves out has as many as in the last index. Either way they
	// are not a copy: the index of a large site would otherwise hold every
	// mention twice over, and the index of the next render is made from
	// this one's again.
	// The mentions of d's notes in the last index, which the rest reads:
	// the map they come from may be changed in place below.
	x.before = make(map[string][]graph.Mention, len(d.Notes))
	for id := range d.Notes {
		x.before[id] = old.byNote[id]
	}
	var pos map[string]int
	switch {
	case old.notePos != nil && g.NoteMentions != nil && len(g.NoteMentions) == len(g.Notes) && sameNotes:
		// The same notes in the same order, as after an edit of notes
		// already there: the places are the last index's, and only the
		// mentions of the notes d names are new. Made anew, the two maps
		// of 10,000 notes cost a fifth of an edit's rebuild.
		pos = old.notePos
		x.byNote, old.byNote = old.byNote, nil // changed in place, as notes is
		for id := range d.Notes {
			if i, ok := pos[id]; ok && len(g.NoteMentions[i]) > 0 {
				x.byNote[id] = g.NoteMentions[i]
			} else {
				delete(x.byNote, id)
			}
		}
	case g.NoteMentions != nil:
		if len(g.NoteMentions) != len(g.Notes) {
			return nil
		}
		x.byNote = make(map[string][]graph.Mention, len(old.byNote))
		pos = make(map[string]int, len(g.Notes))
		for i, n := range g.Notes {
			if _, dup := pos[n.ID]; dup {
				return nil
			}
			pos[n.ID] = i
			if ms := g.NoteMentions[i]; len(ms) > 0 {
				x.byNote[n.ID] = ms
			}
		}
	default:
		x.byNote = make(map[string][]graph.Mention, len(old.byNote))
		pos = make(map[string]int, len(g.Notes))
		at := 0
		for i, n := range g.Notes {
			if _, dup := pos[n.ID]; dup {
				return nil
			}
			pos[n.ID] = i
			j := at
			if !d.Notes[n.ID] {
				j += len(old.byNote[n.ID])
				if j > len(g.Mentions) || j > at && (g.Mentions[at].Note != n.ID || g.Mentions[j-1].Note != n.ID) {
					return nil
				}
			} else {
				for j < len(g.Mentions) && g.Mentions[j].Note == n.ID {
					j++
				}
			}
			if j > at {
				x.byNote[n.ID] = g.Mentions[at:j:j]
			}
			at = j
		}
		if at != len(g.Mentions) {
			return nil
		}
	}
	x.notePos = pos
	// Every note of the last index that d leaves out is still a note.
	if !sameNotes {
		for id := range old.byNote {
			if _, ok := pos[id]; !ok && !d.Notes[id] {
				return nil
			}
		}
	}

	// The entities whose mentions changed: those of which a note of d
	// says something else than before (or than nothing, for a note that
	// came or went). An entity's mentions are those of the last index,
	// less those of these notes, with these notes' mentions now put in
	// note order.
	mentioned := map[string]bool{}
	for id := range d.Notes {
		was, is := x.before[id], x.byNote[id]
		if sameSlice(was, is) || slices.Equal(was, is) {
			continue
		}
		for _, e := range noteEntities(was) {
			if !slices.Equal(mentionsOf(was, e), mentionsOf(is, e)) {
				mentioned[e] = true
			}
		}
		for _, e := range noteEntities(is) {
			if !slices.Equal(mentionsOf(was, e), mentionsOf(is, e)) {
				mentioned[e] = true
			}
		}
	}
	type run struct {
		pos int
		ms  []graph.Mention
	}
	changedNotes := slices.Sorted(maps.Keys(d.Notes))
	x.mentions = old.mentions
	if len(mentioned) > 0 {
		x.mentions = maps.Clone(old.mentions)
	}
	for e := range mentioned {
		prev := old.mentions[e]
		if sameNotes {
			// The same notes at the same places: each changed note's run
			// is found by a binary search of the places and put in at
			// once, instead of the runs of thousands of notes being looked
			// up and copied one by one.
			out, ok := spliceRuns(prev, changedNotes, pos, func(id string) []graph.Mention { return mentionsOf(x.byNote[id], e) })
			if !ok {
				return nil
			}
			if len(out) == 0 {
				delete(x.mentions, e)
			} else {
				x.mentions[e] = out
			}
			continue
		}
		var runs []run
		n := 0
		for _, id := range changedNotes {
			p, ok := pos[id]
			if !ok {
				continue
			}
			if ms := mentionsOf(x.byNote[id], e); len(ms) > 0 {
				runs = append(runs, run{p, ms})
				n += len(ms)
			}
		}
		slices.SortFunc(runs, func(a, b run) int { return a.pos - b.pos })
		out := make([]graph.Mention, 0, len(prev)+n)
		for i := 0; i < len(prev); {
			j := i + 1
			for j < len(prev) && prev[j].Note == prev[i].Note {
				j++
			}
			if !d.Notes[prev[i].Note] {
				p, ok := pos[prev[i].Note]
				if !ok {
					return nil
				}
				for len(runs) > 0 && runs[0].pos < p {
					out = append(out, runs[0].ms...)
					runs = runs[1:]
				}
				out = append(out, prev[i:j]...)
			}
			i = j
		}
		for _, rn := range runs {
			out = append(out, rn.ms...)
		}
		if len(out) == 0 {
			delete(x.mentions, e)
		} else {
			x.mentions[e] = out
		}
	}

	// The notes an entity has a part in: those that mention it or state
	// its facts.
	recount := joined(mentioned, d.Entities)
	x.noteCount = old.noteCount
	if len(recount) > 0 {
		x.noteCount = maps.Clone(old.noteCount)
	}
	// A note is counted once per entity by stamping its place: a busy
	// entity's mentions and sources come from thousands of notes, and a
	// set of them made on every edit cost more than looking their places
	// up. A note without a place (none, as graphs are made) goes to other.
	seen := make([]int32, len(g.Notes))
	var other map[string]bool
	stamp := int32(0)
	for e := range recount {
		stamp++
		clear(other)
		n := 0
		count := func(id string) {
			if i, ok := pos[id]; ok && i < len(seen) {
				if seen[i] != stamp {
					seen[i] = stamp
					n++
				}
				return
			}
			if other == nil {
				other = map[string]bool{}
			}
			if !other[id] {
				other[id] = true
				n++
			}
		}
		last := ""
		for _, m := range x.mentions[e] {
			if m.Note != last {
				last = m.Note
				count(m.Note)
			}
		}
		for k, f := range x.facts[e] {
			for j, s := range f.Sources {
				// A fact's sources from one note often come together.
				if k == 0 && j == 0 || s.Note != last {
					last = s.Note
					count(s.Note)
				}
			}
		}
		if n == 0 {
			delete(x.noteCount, e)
		} else {
			x.noteCount[e] = n
		}
	}
	return x
}

// spliceRuns returns the mentions of prev, which come by note in the
// order of the notes' places pos, with the run of each note of changed
// replaced by now(note). It reports false when a note of prev has no
// place.
func spliceRuns(prev []graph.Mention, changed []string, pos map[string]int, now func(string) []graph.Mention) ([]graph.Mention, bool) {
	type change struct {
		pos  int
		note string
		ms   []graph.Mention
	}
	cs := make([]change, 0, len(changed))
	n := 0
	for _, id := range changed {
		if p, ok := pos[id]; ok {
			ms := now(id)
			cs = append(cs, change{p, id, ms})
			n += len(ms)
		}
	}
	slices.SortFunc(cs, func(a, b change) int { return a.pos - b.pos })
	out := make([]graph.Mention, 0, len(prev)+n)
	bad := false
	at := 0
	for _, c := range cs {
		lo := at + sort.Search(len(prev)-at, func(k int) bool {
			p, ok := pos[prev[at+k].Note]
			if !ok {
				bad = true
				return true
			}
			return p >= c.pos
		})
		if bad {
			return nil, false
		}
		out = append(out, prev[at:lo]...)
		hi := lo
		for hi < len(prev) && prev[hi].Note == c.note {
			hi++
		}
		out = append(out, c.ms...)
		at = hi
	}
	return append(out, prev[at:]...), true
}

// sameNoteIDs reports whether a and b are notes of the same ids in the
// same order.
func sameNoteIDs(a, b []graph.Note) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// sameSlice reports whether a and b are one slice: the same elements in
// the same memory.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// mentionsOf returns the mentions of ms of an entity.
func mentionsOf(ms []graph.Mention, entity string) []graph.Mention {
	var out []graph.Mention
	for _, m := range ms {
		if m.Entity == entity {
			out = append(out, m)
		}
	}
	return out
}

// joined returns the keys of a and of b.
func joined(a, b map[string]bool) map[string]bool {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// hasher hashes the inputs of a page. Strings are written with their
// length, so that ("ab", "c") and ("a", "bc") differ.
type hasher struct {
	h   maphash.Hash
	buf [8]byte
}

func (r *Renderer) hash() *hasher {
	h := &hasher{}
	h.h.SetSeed(r.seed)
	return h
}

func (h *hasher) u64(v uint64) {
	binary.LittleEndian.PutUint64(h.buf[:], v)
	_, _ = h.h.Write(h.buf[:])
}

func (h *hasher) ints(vs ...int) {
	for _, v := range vs {
		h.u64(uint64(v))
	}
}

func (h *hasher) str(ss ...string) {
	for _, s := range ss {
		h.u64(uint64(len(s)))
		_, _ = h.h.WriteString(s)
	}
}

func (h *hasher) bytes(b []byte) {
	h.u64(uint64(len(b)))
	_, _ = h.h.Write(b)
}

func (h *hasher) sum() uint64 { return h.h.Sum64() }

func (h *hasher) link(l Link) {
	h.str(l.Name, l.Href, l.Path, l.Entity, l.Cat, l.Kind)
}

// entity hashes every field of e.
func (h *hasher) entity(e *graph.Entity) {
	h.str(e.ID, e.Name, e.Kind, e.Category, e.Parent, e.Summary, e.Docs)
	h.ints(len(e.Aliases))
	h.str(e.Aliases...)
	h.ints(len(e.Formerly))
	h.str(e.Formerly...)
}

func (h *hasher) members(ms []MemberView) {
	h.ints(len(ms))
	for _, m := range ms {
		h.link(m.Link)
		h.str(m.Summary)
		h.ints(m.Facts, m.Notes)
	}
}

// category hashes every field of v.
func (h *hasher) category(v CategoryView) {
	h.link(v.Self)
	h.str(v.Summary)
	h.members(v.Members)
	h.members(v.Catalog)
	h.ints(len(v.Tables))
	for _, t := range v.Tables {
		h.link(t)
	}
	h.ints(v.FactCount, v.More)
	h.members(v.Top)
}

// PreparedData is a Prepared as plain data, for a cache to keep between
// runs (Prepared.Data, PreparedFrom).
type PreparedData struct {
	Title       string
	Headings    []parse.Heading
	Description string
	TitleOffset int
	Anchors     []int
	Links       []string
}

// Data returns p as plain data.
func (p *Prepared) Data() PreparedData {
	return PreparedData{Title: p.title, Headings: p.info.headings, Description: p.info.description,
		TitleOffset: p.info.titleOffset, Anchors: p.anchors, Links: p.links}
}

// PreparedFrom returns the Prepared that d is the Data of.
func PreparedFrom(d PreparedData) *Prepared {
	return &Prepared{title: d.Title, anchors: d.Anchors, links: d.Links,
		info: &noteInfo{headings: d.Headings, description: d.Description, titleOffset: d.TitleOffset}}
}
