package site

import (
	"cmp"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/graph"
)

// Link is a link to an entity, a category or a comparison, with its href
// already relative to the page it is on.
type Link struct {
	Name   string
	Href   string
	Path   string // the target's path from the site root, to mark the current page
	Entity string // the entity id, for hover previews; "" for other targets
	Cat    string // the colour class, "cat-3"; "" for none
	Kind   string
}

// SourceView is one place in a note that a fact, a cell or a conflict
// comes from.
type SourceView struct {
	Href string // the note page at the exact line
	Note string // the note's title
	Line int
	Text string // the original wording
	// More, when not 0, makes this entry stand for that many further
	// sources that the list leaves out.
	More int
}

// FactView is one merged fact.
type FactView struct {
	ID      string
	Text    string
	Label   string
	Notes   int
	Badge   string // "3 notes"
	Sources []SourceView
}

// TopicView is the facts of one topic.
type TopicView struct {
	ID    string
	Name  string
	Facts []FactView
	// More counts the facts of a topic with more than TopicFacts that
	// the entity page leaves to the topic's own page, at Href.
	More  int
	Total int
	Href  string
}

// ConflictView is one attribute on which notes disagree.
type ConflictView struct {
	Attribute string
	Summary   string // "Notes disagree on retention: 7 days (3 notes) · 365 days (1 note)"
	Values    []ConflictValueView
}

// ConflictValueView is one side of a conflict.
type ConflictValueView struct {
	Value   string
	Badge   string
	Sources []SourceView
}

// TableView is a comparison table.
type TableView struct {
	ID      string
	Title   string
	Href    string // the comparison's page
	Kind    string
	Cols    []Link
	Rows    []RowView
	Sources []SourceView
}

// RowView is one attribute of a comparison.
type RowView struct {
	Attribute string
	Conflict  bool
	Cells     []CellView
}

// CellView is one entity's value for an attribute.
type CellView struct {
	Text    string
	Empty   bool
	Badge   string
	Sources []SourceView
}

// RelGroup is the entities related to one entity in one way.
type RelGroup struct {
	Name  string
	Links []Link
}

// BacklinkNote is the places one note mentions an entity.
type BacklinkNote struct {
	Note  string
	Href  string
	Items []BacklinkItem
}

// BacklinkItem is one mention, in its sentence: Before, Match and After
// let the template mark the words that named the entity.
type BacklinkItem struct {
	Href                 string
	Line                 int
	Before, Match, After string
}

// EntityView is what an entity page shows.
type EntityView struct {
	Self       Link
	Kind       string
	Category   *Link
	Family     []Link // parents, outermost first
	Summary    string
	Docs       string
	Formerly   []string
	Aliases    []string
	Glance     []FactView
	Conflicts  []ConflictView
	Topics     []TopicView
	FactCount  int
	Tables     []TableView
	MoreTables []Link // the comparisons past EntityTables, as links
	Related    []RelGroup
	Parts      []Link
	Mentions   []BacklinkNote
	MentionsN  int // every mention, shown or not
	MoreNotes  int // notes left out of Mentions
	NoteCount  int
	LocalGraph template.HTML
}

// MemberView is an entity in a category or on the home page.
type MemberView struct {
	Link
	Summary string
	Facts   int
	Notes   int
}

// CategoryView is what a category page shows, and one category on the
// home page.
type CategoryView struct {
	Self      Link
	Summary   string
	Members   []MemberView // with something from the notes
	Catalog   []MemberView // in the catalog only
	Tables    []Link
	FactCount int
	Top       []MemberView // the first Members, for the home page
	More      int          // Members left out of Top
}

// HomeView is what the home page shows besides the notes.
type HomeView struct {
	Categories  []CategoryView
	Comparisons []Link // the first HomeComparisons
	// ComparisonsTotal counts them all; AllComparisons is the path of the
	// list of all of them, "" when Comparisons holds them all.
	ComparisonsTotal int
	AllComparisons   string
	Entities         int
	Facts            int
	Conflicts        int
}

// GraphView is what the graph page shows.
type GraphView struct {
	SVG    template.HTML
	Legend []Link
	Nodes  []Link // every node, for the focus box and a list without the picture
}

// NavCategory is a category in the left navigation.
type NavCategory struct {
	Link
	Members []Link
}

// TOCItem is an entry of the page's table of contents.
type TOCItem struct {
	ID    string
	Text  string
	Level int
}

// linker makes the links of one page: every href is relative to it.
type linker struct {
	x       *index
	root    string // "" or "../" or, on the 404 page, the base path
	anchors map[string]anchors
}

func (l *linker) rel(target string) string { return l.root + target }

func (l *linker) entity(e *graph.Entity) Link {
	return Link{Name: e.Name, Href: l.rel(EntityURL(e)), Path: EntityURL(e), Entity: e.ID,
		Cat: "cat-" + strconv.Itoa(l.x.colourOf(e)), Kind: e.Kind}
}

func (l *linker) entityID(id string) (Link, bool) {
	e := l.x.entity[id]
	if e == nil {
		return Link{}, false
	}
	return l.entity(e), true
}

func (l *linker) comparison(c *graph.Comparison) Link {
	return Link{Name: c.Title, Href: l.rel(ComparisonURL(c.ID)), Path: ComparisonURL(c.ID), Kind: "comparison"}
}

// source links a fact's source to its exact line; lines without an anchor
// of their own (none should lack one) go to the block that holds them.
func (l *linker) source(s graph.Source) SourceView {
	v := SourceView{Line: s.Line, Text: s.Text, Note: s.Note}
	n := l.x.notes[s.Note]
	if n == nil {
		return v
	}
	v.Note = l.x.titles[s.Note]
	// One string made in one go (as l.rel(NoteURL(slug)) + "#L" + n): a
	// page can cite thousands of lines.
	if a := l.anchors[s.Note].nearest(s.Line); a > 0 {
		v.Href = l.root + "notes/" + n.Source.Slug + ".html#L" + strconv.Itoa(a)
	} else {
		v.Href = l.root + "notes/" + n.Source.Slug + ".html"
	}
	return v
}

// listedSources is how many sources a fact, cell or conflict side lists.
// A fact that 200 notes state would otherwise list 200 lines in its
// badge, and a large site's busiest service page would weigh megabytes.
const listedSources = 10

// sources lists ss, or the first listedSources of them, each wording once
// before any wording twice, and an entry that counts the rest.
func (l *linker) sources(ss []graph.Source) []SourceView {
	picked, more := pickSources(ss)
	out := make([]SourceView, 0, len(picked)+1)
	for _, i := range picked {
		out = append(out, l.source(ss[i]))
	}
	if more > 0 {
		out = append(out, SourceView{More: more})
	}
	return out
}

// pickSources returns the indices, in order, of the sources of ss a page
// lists: all of them, or listedSources with each wording once before any
// wording twice, among the first wordingScan sources; and how many it
// leaves out. It reads no further into ss than that, so that a fact that
// ten thousand notes state in the same words costs no more to list, or to
// hash for a live preview, than one that a hundred state.
func pickSources(ss []graph.Source) (picked []int, more int) {
	picked = make([]int, 0, min(len(ss), listedSources))
	if len(ss) <= listedSources {
		for i := range ss {
			picked = append(picked, i)
		}
		return picked, 0
	}
	var texts [listedSources]string
	for i := 0; i < min(len(ss), wordingScan) && len(picked) < listedSources; i++ {
		if !slices.Contains(texts[:len(picked)], ss[i].Text) {
			texts[len(picked)] = ss[i].Text
			picked = append(picked, i)
		}
	}
	if len(picked) < listedSources {
		// Fewer wordings than places: the first sources not picked fill
		// them, in order.
		first := append([]int(nil), picked...)
		for i := 0; i < len(ss) && len(picked) < listedSources; i++ {
			if !slices.Contains(first, i) {
				picked = append(picked, i)
			}
		}
		slices.Sort(picked)
	}
	return picked, len(ss) - listedSources
}

// wordingScan is how far into a fact's sources pickSources looks for
// other wordings: sources come in note order, and a wording first met
// past the first hundreds is one of many ways of saying the same.
const wordingScan = 500

func distinctNotes(ss []graph.Source) int {
	seen := map[string]bool{}
	for _, s := range ss {
		seen[s.Note] = true
	}
	return len(seen)
}

func (l *linker) fact(f *graph.Fact) FactView {
	n := f.Notes
	if n == 0 {
		n = distinctNotes(f.Sources)
	}
	label := f.Label
	// "Data Retention: Data Retention: 24 hours" says the label twice.
	if hasPrefixLower(f.Text, lastLabel(label)) {
		label = ""
	}
	return FactView{ID: f.ID, Text: f.Text, Label: label, Notes: n, Badge: plural(n, "note"), Sources: l.sources(f.Sources)}
}

// hasPrefixLower reports whether strings.ToLower(s) starts with
// strings.ToLower(prefix), without making either: a page lists hundreds
// of facts.
func hasPrefixLower(s, prefix string) bool {
	for _, p := range prefix {
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || unicode.ToLower(r) != unicode.ToLower(p) {
			return false
		}
		s = s[size:]
	}
	return true
}

// lastLabel returns the innermost of nested labels ("Consumers › Standard").
func lastLabel(l string) string {
	if i := strings.LastIndex(l, "›"); i >= 0 {
		return strings.TrimSpace(l[i+len("›"):])
	}
	return strings.TrimSpace(l)
}

// topicOrder puts the topics a learner looks for first; others follow by
// name.
var topicOrder = []string{"overview", "limits", "producers", "sources", "consumers", "destinations",
	"scaling", "performance", "durability", "availability", "security", "pricing", "use-cases", "comparison"}

func topicRank(id string) int {
	if i := slices.Index(topicOrder, id); i >= 0 {
		return i
	}
	if id == "" || id == "other" {
		return len(topicOrder) + 1
	}
	return len(topicOrder)
}

func (l *linker) table(c *graph.Comparison) TableView {
	t := TableView{ID: c.ID, Title: c.Title, Href: l.rel(ComparisonURL(c.ID)), Kind: c.Kind, Sources: l.sources(c.Sources)}
	var cols []string
	for _, id := range c.Entities {
		if lk, ok := l.entityID(id); ok {
			t.Cols = append(t.Cols, lk)
			cols = append(cols, id)
		}
	}
	for _, r := range c.Rows {
		rv := RowView{Attribute: r.Attribute, Conflict: r.Conflict}
		for _, id := range cols {
			v := strings.TrimSpace(r.Cells[id])
			cell := CellView{Text: v, Empty: v == ""}
			if src := r.Sources[id]; len(src) > 0 {
				cell.Sources = l.sources(src)
				cell.Badge = plural(distinctNotes(src), "note")
			}
			rv.Cells = append(rv.Cells, cell)
		}
		t.Rows = append(t.Rows, rv)
	}
	return t
}

func (l *linker) conflict(c *graph.Conflict) ConflictView {
	v := ConflictView{Attribute: c.Attribute}
	var parts []string
	for _, cv := range c.Values {
		n := distinctNotes(cv.Sources)
		v.Values = append(v.Values, ConflictValueView{Value: cv.Value, Badge: plural(n, "note"), Sources: l.sources(cv.Sources)})
		parts = append(parts, cv.Value+" ("+plural(n, "note")+")")
	}
	v.Summary = "Notes disagree on " + strings.ToLower(humanize(c.Attribute)) + ": " + strings.Join(parts, " · ")
	return v
}

// relations name the ways one entity relates to another, by edge kind and
// direction; category edges are shown as the category chip instead.
func relationOf(kind string, outgoing bool) string {
	switch kind {
	case "source":
		if outgoing {
			return "Destinations" // From is a source of To
		}
		return "Sources"
	case "destination":
		if outgoing {
			return "Destinations"
		}
		return "Sources"
	case "part-of":
		if outgoing {
			return "Part of"
		}
		return "Parts"
	case "alternative-to":
		return "Alternatives"
	case "compares":
		return "Compared with"
	case "mentions":
		if outgoing {
			return "Mentions"
		}
		return "Mentioned with"
	case "category":
		return ""
	}
	return humanize(kind)
}

var relationOrder = []string{"Sources", "Destinations", "Alternatives", "Compared with", "Part of", "Parts", "Mentions", "Mentioned with"}

func (l *linker) related(id string) []RelGroup {
	type rel struct {
		id string
		w  int
	}
	groups := map[string]map[string]int{}
	add := func(name, other string, w int) {
		if name == "" || other == id {
			return
		}
		if groups[name] == nil {
			groups[name] = map[string]int{}
		}
		groups[name][other] += w
	}
	for _, e := range l.x.out[id] {
		add(relationOf(e.Kind, true), e.To, e.Weight)
	}
	for _, e := range l.x.in[id] {
		add(relationOf(e.Kind, false), e.From, e.Weight)
	}
	var names []string
	for n := range groups {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ra, rb := slices.Index(relationOrder, a), slices.Index(relationOrder, b)
		if ra < 0 {
			ra = len(relationOrder)
		}
		if rb < 0 {
			rb = len(relationOrder)
		}
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a, b))
	})
	var out []RelGroup
	for _, n := range names {
		var rs []rel
		for o, w := range groups[n] {
			rs = append(rs, rel{o, w})
		}
		slices.SortFunc(rs, func(a, b rel) int {
			return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(l.x.entity[a.id].Name, l.x.entity[b.id].Name))
		})
		g := RelGroup{Name: n}
		for _, r := range rs {
			if lk, ok := l.entityID(r.id); ok {
				g.Links = append(g.Links, lk)
			}
		}
		out = append(out, g)
	}
	return out
}

// backlinks lists the mentions of an entity by note, one per line, the
// sentence around each; at most max lines in all, so a page about S3 stays
// readable.
func (l *linker) backlinks(id string, max int) (notes []BacklinkNote, total, more int) {
	byLine := func(a, b graph.Mention) int {
		return cmp.Or(cmp.Compare(a.Note, b.Note), cmp.Compare(a.Line, b.Line))
	}
	// A busy entity has tens of thousands of mentions, mostly in order
	// already: they are copied and sorted only when they are not.
	ms := l.x.mentions[id]
	if !slices.IsSortedFunc(ms, byLine) {
		ms = slices.Clone(ms)
		slices.SortStableFunc(ms, byLine)
	}
	shown := 0
	// In that order a note's mentions are next to each other, and so are
	// the mentions of one line: each note is looked up once, at its first
	// mention. i is the current note's place in notes, -1 when it is not
	// shown, -2 when it is no note of the site.
	i := -2
	for k, m := range ms {
		newNote := k == 0 || ms[k-1].Note != m.Note
		if !newNote && ms[k-1].Line == m.Line {
			continue
		}
		total++
		if newNote {
			n := l.x.notes[m.Note]
			switch {
			case n == nil:
				i = -2
			case shown >= max:
				more++
				i = -1
			default:
				i = len(notes)
				notes = append(notes, BacklinkNote{Note: l.x.titles[m.Note], Href: l.rel(NoteURL(n.Source.Slug))})
			}
		}
		if i < 0 || shown >= max {
			continue
		}
		shown++
		sentence := m.Sentence
		if sentence == "" {
			sentence = m.Text
		}
		sentence = truncate(sentence, 240)
		item := BacklinkItem{Line: m.Line, Href: l.source(graph.Source{Note: m.Note, Line: m.Line}).Href}
		if at := findWord([]byte(sentence), m.Text); at >= 0 {
			item.Before, item.Match, item.After = sentence[:at], sentence[at:at+len(m.Text)], sentence[at+len(m.Text):]
		} else {
			item.Before = sentence
		}
		notes[i].Items = append(notes[i].Items, item)
	}
	return notes, total, more
}

func (l *linker) member(e *graph.Entity) MemberView {
	return MemberView{Link: l.entity(e), Summary: e.Summary, Facts: len(l.x.facts[e.ID]), Notes: l.x.noteCount[e.ID]}
}

func (l *linker) category(c *graph.Entity) CategoryView {
	v := CategoryView{Self: l.entity(c), Summary: c.Summary}
	seenTable := map[string]bool{}
	for _, e := range l.x.members[c.ID] {
		m := l.member(e)
		v.FactCount += m.Facts
		if l.x.known(e.ID) {
			v.Members = append(v.Members, m)
		} else {
			v.Catalog = append(v.Catalog, m)
		}
		for _, t := range l.x.comps[e.ID] {
			if !seenTable[t.ID] {
				seenTable[t.ID] = true
				v.Tables = append(v.Tables, l.comparison(t))
			}
		}
	}
	// The entities the notes say most about come first.
	slices.SortStableFunc(v.Members, func(a, b MemberView) int {
		return cmp.Compare(b.Facts+b.Notes, a.Facts+a.Notes)
	})
	v.Top = v.Members[:min(len(v.Members), 8)]
	v.More = len(v.Members) - len(v.Top)
	return v
}

// nav is the left navigation: every category with the entities the notes
// know about.
func (l *linker) nav() []NavCategory {
	var out []NavCategory
	for _, c := range l.x.categories {
		nc := NavCategory{Link: l.entity(c)}
		for _, e := range l.x.members[c.ID] {
			if l.x.known(e.ID) {
				nc.Members = append(nc.Members, l.entity(e))
			}
		}
		if len(nc.Members) > 0 || c.ID != otherCategory {
			out = append(out, nc)
		}
	}
	return out
}
