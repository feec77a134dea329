package site

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/url"
	"path"
	"runtime"
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

// Renderer renders a site again and again as its notes change, and makes
// again only the pages whose inputs changed. It is what a live preview
// uses; a one-off build uses Build.
//
// Each page has a key: a hash of everything it is made from other than
// the entities it links to (the note's bytes, the facts, mentions, edges
// and comparisons of an entity, the titles and line anchors of the notes
// it cites, its template, the navigation). A page is made again when its
// key changes, or when the preview data (name, category, counts) of an
// entity it links to changes: those links are read from the page made
// last time, so no list of "neighbours" has to be kept in step with the
// templates. Asset names carry a hash of their content; when an asset
// changes, pages that name it get the new name by a byte replacement
// rather than a render.
//
// A Renderer is not safe for concurrent use.
type Renderer struct {
	seed    maphash.Seed
	notes   map[string]*noteMemo // note id → what pages read of it
	pages   map[string]*pageMemo // output path → the page made last
	preview map[string]uint64    // entity id → hash of what links to it show
	assets  map[string]string    // asset name → hashed path, last render
}

// noteMemo is what the pages of a site read of one note, kept so that an
// unchanged note need not be parsed again to make the others' pages.
type noteMemo struct {
	hash    [32]byte
	title   string
	slug    string
	info    *noteInfo
	anchors anchors
	links   []string // the destinations of the note's own links
	sig     uint64   // title, page and anchors: what other pages show of it
	// mentions hashes, per entity, the note's mentions of it as the
	// entity's page shows them, so that an entity's key costs one step
	// per note rather than one per mention.
	mentions map[string]uint64
}

type pageMemo struct {
	key  uint64
	refs []string // entity ids the page links to (data-e)
	// previewAt and previewLen locate the page's preview JSON, which can
	// be made again alone when only the previews of its links changed.
	previewAt, previewLen int
	assets                []string // hashed asset paths the page names
	data                  []byte
	diags                 diag.List
}

// RenderStats says how much a Render did.
type RenderStats struct {
	Pages    int // HTML pages in the site
	Rendered int // pages made by executing their template
	Patched  int // pages whose preview data alone was made again
	Parsed   int // notes parsed to make their pages
	// Changed lists the files whose bytes differ from the last render,
	// added ones included; Removed the files that are gone. AssetOnly
	// lists the pages among Changed that differ only in the hashed names
	// of the assets they link to.
	Changed, Removed, AssetOnly []string
}

// NewRenderer returns a Renderer that has rendered nothing yet.
func NewRenderer() *Renderer {
	return &Renderer{seed: maphash.MakeSeed(), notes: map[string]*noteMemo{}, pages: map[string]*pageMemo{},
		preview: map[string]uint64{}, assets: map[string]string{}}
}

// Render makes the site as Build does, reusing what it made last time.
// A note with a nil Doc must be unchanged since the last Render, with the
// same mentions in g (they depend on the note and the catalog alone); the
// Renderer parses it with p again if its page must be made. A note with a
// Doc is taken as changed: its page is made again. Render changes the
// Docs it is given, as Build does.
func (r *Renderer) Render(p *parse.Parser, notes []*Note, g *graph.Graph, opts Options) ([]output.File, diag.List, RenderStats) {
	var diags diag.List
	var st RenderStats
	b := &builder{parser: p, opts: opts}
	if b.opts.Title == "" {
		b.opts.Title = "Notes"
	}
	b.base, b.basePath = normalizeBase(opts.BaseURL)
	x := newIndex(g, nil)
	b.x = x
	b.site = &Site{Title: b.opts.Title, BaseURL: b.base, NoteCount: len(notes),
		HasGraph: len(x.entity) > 0, Absolute: strings.Contains(b.base, "://")}
	if err := b.loadAssets(); err != nil {
		diags.Errorf("assets", 0, "assets", "%v", err)
		return nil, diags, st
	}
	kinds := []string{"home", "note", "404"}
	if g != nil && len(x.entity) > 0 {
		kinds = append(kinds, "entity", "category", "graph")
		if len(g.Comparisons) > 0 {
			kinds = append(kinds, "comparison")
		}
	}
	kinds = append(kinds, optionalKinds(opts.Templates)...)
	if err := b.loadTemplates(kinds); err != nil {
		diags.Errorf("templates", 0, "template", "%v", err)
		return nil, diags, st
	}

	// Notes: the changed ones are read whole; the others come from memory.
	fresh := map[string]bool{}
	live := map[string]bool{}
	for _, n := range notes {
		id := n.Source.ID
		live[id] = true
		x.notes[id] = n
		m := r.notes[id]
		if n.Doc == nil && m != nil && m.hash == n.Source.Hash {
			x.titles[id] = m.title
			continue
		}
		if n.Doc == nil {
			n.Doc = p.Parse(n.Clean.Text, parse.Options{Format: n.Clean.Format})
			st.Parsed++
		}
		fresh[id] = true
		x.titles[id] = n.Title()
	}
	for id := range r.notes {
		if !live[id] {
			delete(r.notes, id)
		}
	}
	bySourcePath := map[string]*Note{}
	bySlug := map[string]*Note{}
	for _, n := range notes {
		bySourcePath[n.Source.Path] = n
		bySlug[n.Source.Slug+".html"] = n
	}
	b.info = map[string]*noteInfo{}
	b.anchors = map[string]anchors{}
	prepare := func(n *Note) {
		id := n.Source.ID
		info := newNoteInfo(n, x.titles[id])
		links := noteLinks(n)
		a, _ := decorateNote(n, x)
		m := &noteMemo{hash: n.Source.Hash, title: x.titles[id], slug: n.Source.Slug, info: info, anchors: a, links: links}
		h := r.hash()
		h.str(m.title, n.Source.Slug)
		h.ints(a...)
		for _, hd := range info.headings {
			h.str(hd.ID)
		}
		m.sig = h.sum()
		m.mentions = map[string]uint64{}
		for _, mn := range x.byNote[id] {
			h := r.hash()
			h.u64(m.mentions[mn.Entity])
			h.str(mn.Text, mn.Sentence, m.title, m.slug)
			h.ints(mn.Line, a.nearest(mn.Line))
			m.mentions[mn.Entity] = h.sum()
		}
		r.notes[id] = m
	}
	for _, n := range notes {
		if fresh[n.Source.ID] {
			prepare(n)
		}
	}
	for _, n := range notes {
		m := r.notes[n.Source.ID]
		b.info[n.Source.ID], b.anchors[n.Source.ID] = m.info, m.anchors
	}

	// Keys.
	l := b.linker("")
	previews := map[string]uint64{}
	changedPreview := map[string]bool{}
	for id, e := range x.entity {
		// What a page shows of an entity it links to: the link (name,
		// address, colour) and the preview JSON, made by the same code
		// that puts it in pages, so that the two cannot drift apart.
		h := r.hash()
		h.bytes(b.previews([]byte(`data-e="` + id + `"`)))
		h.str(fmt.Sprint(l.entity(e)))
		previews[id] = h.sum()
		if old, ok := r.preview[id]; !ok || old != previews[id] {
			changedPreview[id] = true
		}
	}
	for id := range r.preview {
		if _, ok := previews[id]; !ok {
			changedPreview[id] = true
		}
	}
	r.preview = previews

	global := r.hash()
	global.str(b.opts.Title, b.base, strconv.FormatBool(b.opts.BrokenLinksWarn), fmt.Sprint(*b.site), fmt.Sprint(l.nav()))
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
		}
		kindKey[k] = h.sum()
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
	sources := func(h *hasher, ss []graph.Source) {
		for _, s := range ss {
			h.str(s.Note, s.Text)
			h.ints(s.Line)
			if m := r.notes[s.Note]; m != nil {
				h.str(m.title, m.slug)
				h.ints(m.anchors.nearest(s.Line))
			}
		}
	}

	// Comparisons are shown on the pages of each of their entities: hash
	// each once.
	compKey := map[*graph.Comparison]uint64{}
	if g != nil {
		for i := range g.Comparisons {
			h := r.hash()
			hashComparison(h, &g.Comparisons[i], sources)
			compKey[&g.Comparisons[i]] = h.sum()
		}
	}

	type job struct {
		path  string
		kind  string
		key   uint64
		fresh bool
		make  func(*diag.List)
	}
	var jobs []job
	add := func(pth, kind string, key uint64, fresh bool, make func(*diag.List)) {
		jobs = append(jobs, job{pth, kind, key, fresh, make})
	}

	// Home: the list of notes, the counts and the categories.
	{
		h := r.hash()
		h.u64(kindKey["home"])
		for _, n := range notes {
			m := r.notes[n.Source.ID]
			h.str(m.title, n.Source.Slug, n.Source.Path)
			h.ints(len(m.info.headings), lineCount(n.Source.Raw))
		}
		if g != nil {
			h.ints(len(g.Facts), len(g.Conflicts))
			for _, c := range x.categories {
				h.str(fmt.Sprint(l.category(c)))
			}
			for i := range g.Comparisons {
				h.str(fmt.Sprint(l.comparison(&g.Comparisons[i])))
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
	}
	for _, n := range notes {
		h := r.hash()
		h.u64(kindKey["note"])
		m := r.notes[n.Source.ID]
		h.u64(m.sig)
		h.bytes(n.Source.Hash[:])
		for _, dest := range m.links {
			h.str(dest)
			if t := linkTarget(n, dest, bySourcePath, bySlug); t != nil {
				h.u64(sigOf(t.Source.ID))
			}
		}
		add(NoteURL(n.Source.Slug), "note", h.sum(), fresh[n.Source.ID], func(d *diag.List) {
			if !fresh[n.Source.ID] {
				if n.Doc == nil {
					n.Doc = p.Parse(n.Clean.Text, parse.Options{Format: n.Clean.Format})
					st.Parsed++
				}
				// The page needs the decorated AST and a title heading of
				// this parse; the anchors are the same as remembered.
				b.info[n.Source.ID] = newNoteInfo(n, x.titles[n.Source.ID])
				decorateNote(n, x)
			}
			var ld diag.List
			rewriteLinks(n, bySourcePath, &ld)
			b.checkNoteFragments(n, bySlug, &ld)
			for _, e := range ld {
				b.linkProblem(d, e.Path, e.Line, "%s", e.Msg)
			}
			b.notePage(n, d)
			b.info[n.Source.ID] = r.notes[n.Source.ID].info
			if !fresh[n.Source.ID] {
				n.Doc = nil // parsed for this page only: the AST is the largest part of a note
			}
		})
	}
	if g != nil && len(x.entity) > 0 {
		// An entity's key reads its facts and mentions: the largest part of
		// the work of deciding what to make, and each entity's is its own.
		ents := x.sortedEntities()
		keys := make([]uint64, len(ents))
		var wg sync.WaitGroup
		workers := min(runtime.GOMAXPROCS(0), len(ents))
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := b.linker("")
				for i := w; i < len(ents); i += workers {
					kind := "entity"
					if ents[i].Kind == "category" {
						kind = "category"
					}
					h := r.hash()
					h.u64(kindKey[kind])
					r.entityInputs(h, x, l, ents[i], sources, compKey)
					keys[i] = h.sum()
				}
			}()
		}
		wg.Wait()
		for i, e := range ents {
			kind := "entity"
			if e.Kind == "category" {
				kind = "category"
			}
			add(EntityURL(e), kind, keys[i], false, func(d *diag.List) {
				if e.Kind == "category" {
					b.categoryPage(e, d)
				} else {
					b.entityPage(e, d)
				}
			})
		}
		for i := range g.Comparisons {
			c := &g.Comparisons[i]
			h := r.hash()
			h.u64(kindKey["comparison"])
			h.u64(compKey[c])
			add(ComparisonURL(c.ID), "comparison", h.sum(), false, func(d *diag.List) { b.comparisonPage(c, d) })
		}
		h := r.hash()
		h.u64(kindKey["graph"])
		for _, e := range g.Edges {
			h.str(e.From, e.To, e.Kind)
			h.ints(e.Weight)
		}
		for _, e := range x.sortedEntities() {
			h.str(e.ID)
			h.ints(x.degree[e.ID])
			h.u64(previews[e.ID])
			h.ints(len(x.facts[e.ID]), len(x.mentions[e.ID]))
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
	pages := map[string]*pageMemo{}
	var order []string
	var rendered []string
	patched := map[string]bool{} // among rendered: only the previews made again
	for _, j := range jobs {
		old := r.pages[j.path]
		if old != nil && !j.fresh && old.key == j.key {
			if !anyIn(old.refs, changedPreview) {
				pages[j.path] = old
				order = append(order, j.path)
				continue
			}
			if old.previewAt >= 0 {
				pages[j.path] = b.patchPreviews(old)
				order = append(order, j.path)
				rendered = append(rendered, j.path)
				patched[j.path] = true
				st.Patched++
				continue
			}
		}
		b.files = b.files[:0]
		var d diag.List
		j.make(&d)
		st.Rendered++
		m := &pageMemo{key: j.key, diags: d}
		for _, f := range b.files {
			if f.Path == j.path {
				m.data = f.Data
			}
		}
		if m.data == nil && !d.HasErrors() {
			m.diags.Errorf(j.path, 0, "render", "page not made")
		}
		m.refs = entityRefs(m.data)
		m.previewAt, m.previewLen = -1, 0
		if pj := b.previews(m.data); len(m.refs) > 0 {
			if at := bytes.Index(m.data, pj); at >= 0 && bytes.LastIndex(m.data, pj) == at {
				m.previewAt, m.previewLen = at, len(pj)
			}
		}
		for _, hashed := range b.assets {
			if bytes.Contains(m.data, []byte(hashed)) {
				m.assets = append(m.assets, hashed)
			}
		}
		pages[j.path] = m
		order = append(order, j.path)
		rendered = append(rendered, j.path)
	}

	// Pages made before keep their bytes, with the new names of the assets
	// that changed.
	renderedSet := map[string]bool{}
	for _, p := range rendered {
		renderedSet[p] = true
	}
	for _, pth := range order {
		m := pages[pth]
		old := r.pages[pth]
		if renderedSet[pth] {
			if old == nil || !bytes.Equal(old.data, m.data) {
				st.Changed = append(st.Changed, pth)
			}
			continue
		}
		if len(renamed) == 0 {
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
			m2.data, m2.assets = data, now
			pages[pth] = &m2
			st.Changed = append(st.Changed, pth)
			st.AssetOnly = append(st.AssetOnly, pth)
		}
	}
	for pth := range r.pages {
		if _, ok := pages[pth]; !ok {
			st.Removed = append(st.Removed, pth)
		}
	}
	r.pages = pages

	// Links the templates and the graph make, checked on the pages made
	// now: a page not made again links to what it linked to before.
	b.files = b.files[:0]
	exists := map[string]bool{}
	for pth := range pages {
		exists[pth] = true
	}
	for _, hashed := range b.assets {
		exists[hashed] = true
	}
	idsOf := map[string]map[string]bool{}
	for _, pth := range rendered {
		if !patched[pth] {
			r.checkLinks(b, pth, pages, exists, idsOf)
		}
	}

	var files []output.File
	b.pages = b.pages[:0]
	for _, pth := range order {
		m := pages[pth]
		diags = append(diags, m.diags...)
		if m.data != nil {
			files = append(files, output.File{Path: pth, Data: m.data})
			if pth != "404.html" {
				b.pages = append(b.pages, pth)
			}
		}
	}
	st.Pages = len(files)
	extra := []output.File{{Path: "sitemap.xml", Data: b.sitemap()}, {Path: "robots.txt", Data: b.robots()}}
	extra = append(extra, b.assetFiles...)
	for _, f := range extra {
		if old, ok := r.pages[f.Path]; !ok || !bytes.Equal(old.data, f.Data) {
			st.Changed = append(st.Changed, f.Path)
		}
		r.pages[f.Path] = &pageMemo{data: f.Data}
	}
	for _, hashed := range oldAssets {
		if _, ok := renamed[hashed]; ok || !exists[hashed] {
			delete(r.pages, hashed)
			st.Removed = append(st.Removed, hashed)
		}
	}
	files = append(files, extra...)
	slices.Sort(st.Changed)
	slices.Sort(st.Removed)
	st.Removed = slices.Compact(st.Removed)
	diags.Sort()
	return files, diags, st
}

// patchPreviews returns the page of m with its preview JSON made again.
func (b *builder) patchPreviews(m *pageMemo) *pageMemo {
	pj := b.previews(m.data)
	data := make([]byte, 0, len(m.data)-m.previewLen+len(pj))
	data = append(data, m.data[:m.previewAt]...)
	data = append(data, pj...)
	data = append(data, m.data[m.previewAt+m.previewLen:]...)
	p := *m
	p.data, p.previewLen = data, len(pj)
	return &p
}

// checkLinks checks the links of one page made now, and adds what is
// broken to its diagnostics, as Build's check does for every page.
func (r *Renderer) checkLinks(b *builder, pth string, pages map[string]*pageMemo, exists map[string]bool, idsOf map[string]map[string]bool) {
	m := pages[pth]
	if !strings.HasSuffix(pth, ".html") || m.data == nil {
		return
	}
	ids := func(target string) map[string]bool {
		set, ok := idsOf[target]
		if !ok {
			set = map[string]bool{}
			if t := pages[target]; t != nil {
				for _, id := range attrValues(t.data, ` id="`) {
					set[id] = true
				}
			}
			idsOf[target] = set
		}
		return set
	}
	// Most fragments are found by a plain search of the target page; only
	// a miss reads all of its ids, to be sure.
	hasID := func(target, frag string) bool {
		if t := pages[target]; t != nil && bytes.Contains(t.data, []byte(` id="`+frag+`"`)) {
			return true
		}
		return ids(target)[frag]
	}
	reported := map[string]bool{}
	for _, ref := range attrValues(m.data, ` href="`) {
		target, frag, ok := b.resolve(pth, ref)
		if !ok || reported[ref] {
			continue
		}
		bad := ""
		switch {
		case !exists[target]:
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

// entityInputs hashes what the page of e is made of, apart from the
// previews of the entities it links to.
func (r *Renderer) entityInputs(h *hasher, x *index, l *linker, e *graph.Entity, sources func(*hasher, []graph.Source), compKey map[*graph.Comparison]uint64) {
	h.str(fmt.Sprint(*e))
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
		h.str(fmt.Sprint(l.category(e)))
	}
	for _, f := range x.facts[e.ID] {
		h.str(f.ID, f.Topic, f.Text, f.Label)
		h.ints(f.Notes)
		sources(h, f.Sources)
	}
	for _, c := range x.conflicts[e.ID] {
		h.str(c.Attribute)
		for _, v := range c.Values {
			h.str(v.Value)
			sources(h, v.Sources)
		}
	}
	for _, c := range x.comps[e.ID] {
		h.u64(compKey[c])
	}
	last := ""
	for _, m := range x.mentions[e.ID] {
		if m.Note != last {
			last = m.Note
			h.str(m.Note)
			if nm := r.notes[m.Note]; nm != nil {
				h.u64(nm.mentions[e.ID])
			}
		}
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

// entityRefs returns the entity ids a page links to with data-e, sorted.
func entityRefs(page []byte) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range attrValues(page, ` data-e="`) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func anyIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
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
