package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/par"
)

// index is the graph looked up the ways pages need it. It is built once per
// build from the graph and the notes and never changed afterwards.
type index struct {
	g          *graph.Graph
	entity     map[string]*graph.Entity
	categories []*graph.Entity            // sorted by name
	members    map[string][]*graph.Entity // category id → its entities, by name
	colour     map[string]int             // category id → palette index
	children   map[string][]*graph.Entity // parent id → its parts, by name
	facts      map[string][]*graph.Fact   // entity → facts, in graph order
	conflicts  map[string][]*graph.Conflict
	comps      map[string][]*graph.Comparison // entity → comparisons it is in
	mentions   map[string][]graph.Mention     // entity → mentions
	byNote     map[string][]graph.Mention     // note id → mentions
	// notePos holds each note's place in the graph's notes, as an index
	// made from the last one has it (nil in others).
	notePos   map[string]int
	out, in   map[string][]graph.Edge
	noteCount map[string]int // entity → distinct notes that mention it or state its facts
	degree    map[string]int // entity → number of distinct neighbours (category edges aside)
	notes     map[string]*Note
	titles    map[string]string // note id → title, which costs a walk of the note to find
	// sorted holds the entities in sortedEntities' order.
	sorted []*graph.Entity
	// keptNotes says notes and titles are the maps of the last render's
	// index, made by updateIndex for the same notes.
	keptNotes bool
	// before holds, in an index made by updateIndex, the mentions that the
	// notes of its Delta had in the last index.
	before map[string][]graph.Mention
}

// otherCategory is the category of entities whose catalog entry names none.
const otherCategory = "other"

// newEntityIndex indexes the entities of g, their categories and
// colours: the part of an index that search results need, without the
// facts and mentions, which at 10,000 notes cost far more to index.
func newEntityIndex(g *graph.Graph) *index {
	x := &index{
		g: g, entity: map[string]*graph.Entity{}, members: map[string][]*graph.Entity{},
		colour: map[string]int{}, children: map[string][]*graph.Entity{},
	}
	if g == nil {
		return x
	}
	for i := range g.Entities {
		e := &g.Entities[i]
		if _, dup := x.entity[e.ID]; dup || e.ID == "" {
			continue
		}
		x.entity[e.ID] = e
	}
	// A category named by an entity but missing from the catalog still
	// gets a page, so that no chip or nav entry leads nowhere.
	for _, e := range x.sortedEntities() {
		if e.Kind == "category" {
			continue
		}
		c := e.Category
		if c == "" || x.entity[c] == nil {
			if c == "" {
				c = otherCategory
			}
			if x.entity[c] == nil {
				x.entity[c] = &graph.Entity{ID: c, Name: humanize(c), Kind: "category"}
			}
		}
		x.members[c] = append(x.members[c], e)
		if e.Parent != "" {
			x.children[e.Parent] = append(x.children[e.Parent], e)
		}
	}
	// The entities are all there: sorted once for the index's life.
	x.sorted = x.sortedEntities()
	for _, e := range x.sorted {
		if e.Kind == "category" {
			x.categories = append(x.categories, e)
		}
	}
	// Colours go by the order of category ids, not names, so renaming a
	// category does not repaint the others.
	ids := make([]string, 0, len(x.categories))
	for _, c := range x.categories {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		x.colour[id] = i % len(categoryColours)
	}
	return x
}

// newIndex indexes g and the notes for the pages.
func newIndex(g *graph.Graph, notes []*Note) *index {
	x := newEntityIndex(g)
	n := len(notes)
	if g != nil {
		n = max(n, len(g.Notes))
	}
	x.notes, x.titles = make(map[string]*Note, n), make(map[string]string, n)
	x.facts, x.conflicts = map[string][]*graph.Fact{}, map[string][]*graph.Conflict{}
	x.comps, x.mentions = map[string][]*graph.Comparison{}, map[string][]graph.Mention{}
	x.byNote, x.out, x.in = map[string][]graph.Mention{}, map[string][]graph.Edge{}, map[string][]graph.Edge{}
	x.noteCount, x.degree = map[string]int{}, map[string]int{}
	// A title may need a walk of its note's tree: on every core.
	titles := make([]string, len(notes))
	par.ForEach(len(notes), func(i int) { titles[i] = notes[i].Title() })
	for i, n := range notes {
		x.notes[n.Source.ID] = n
		x.titles[n.Source.ID] = titles[i]
	}
	if g == nil {
		return x
	}
	for i := range g.Facts {
		f := &g.Facts[i]
		x.facts[f.Entity] = append(x.facts[f.Entity], f)
	}
	for i := range g.Conflicts {
		c := &g.Conflicts[i]
		x.conflicts[c.Entity] = append(x.conflicts[c.Entity], c)
	}
	for i := range g.Comparisons {
		c := &g.Comparisons[i]
		for _, e := range c.Entities {
			x.comps[e] = append(x.comps[e], c)
		}
	}
	if g.NoteMentions != nil {
		x.mentions = entityMentions(g.NoteMentions)
	} else {
		// Each entity's mentions are copied into a list made to its size:
		// lists grown one append at a time copied them twice over.
		perEntity := map[string]int{}
		for m := range g.EachMention() {
			perEntity[m.Entity]++
		}
		for e, n := range perEntity {
			x.mentions[e] = make([]graph.Mention, 0, n)
		}
		for m := range g.EachMention() {
			x.mentions[m.Entity] = append(x.mentions[m.Entity], *m)
			x.byNote[m.Note] = append(x.byNote[m.Note], *m)
		}
	}
	// A note's mentions are its own part of the graph, not a copy.
	for i, ms := range g.NoteMentions {
		if len(ms) > 0 && i < len(g.Notes) {
			x.byNote[g.Notes[i].ID] = ms
		}
	}
	x.indexEdges(g.Edges)
	// The notes that mention or state each entity, counted entity by
	// entity on every core: a million mentions put in one set after the
	// other took a fifth of a second of a large site's start-up, on one
	// core.
	var ids []string
	for e := range x.mentions {
		ids = append(ids, e)
	}
	for e := range x.facts {
		if _, ok := x.mentions[e]; !ok {
			ids = append(ids, e)
		}
	}
	counts := make([]int, len(ids))
	par.ForEach(len(ids), func(i int) { counts[i] = x.notesOf(ids[i]) })
	for i, e := range ids {
		x.noteCount[e] = counts[i]
	}
	return x
}

// entityMentions returns the mentions of each entity, in the order of
// notes, from the mentions of each note: copied on every core into lists
// made to size, in two passes over runs of notes, the first counting each
// run's mentions of each entity and the second copying them where the
// counts say. At 10,000 notes there are 565,000 mentions, and copying
// them on one core took 78 ms of a preview's start, while nothing else
// could run. Each entity's list is an array of its own: an edit replaces
// the lists of the entities it touches, and theirs can go.
func entityMentions(byNote [][]graph.Mention) map[string][]graph.Mention {
	runs := par.Runs(len(byNote))
	counts := make([]map[string]int, len(runs))
	par.ForEach(len(runs), func(r int) {
		c := map[string]int{}
		for _, ms := range byNote[runs[r][0]:runs[r][1]] {
			for i := range ms {
				c[ms[i].Entity]++
			}
		}
		counts[r] = c
	})
	total := map[string]int{}
	for _, c := range counts {
		for e, k := range c {
			total[e] += k
		}
	}
	out := make(map[string][]graph.Mention, len(total))
	for e, k := range total {
		out[e] = make([]graph.Mention, k)
	}
	// Each run's part of each list, where the runs before it end.
	parts := make([]map[string][]graph.Mention, len(runs))
	at := make(map[string]int, len(total))
	for r, c := range counts {
		parts[r] = make(map[string][]graph.Mention, len(c))
		for e, k := range c {
			parts[r][e] = out[e][at[e] : at[e]+k]
			at[e] += k
		}
	}
	par.ForEach(len(runs), func(r int) {
		part := parts[r]
		for _, ms := range byNote[runs[r][0]:runs[r][1]] {
			for i := range ms {
				e := ms[i].Entity
				dst := part[e]
				dst[0] = ms[i]
				part[e] = dst[1:]
			}
		}
	})
	return out
}

// notesOf counts the notes that mention entity or state a fact of it.
func (x *index) notesOf(entity string) int {
	ms, fs := x.mentions[entity], x.facts[entity]
	seen := make(map[string]bool, len(ms)/4+1)
	last := ""
	for _, m := range ms {
		// A note's mentions come one after the other.
		if m.Note != last {
			last = m.Note
			seen[m.Note] = true
		}
	}
	for _, f := range fs {
		for _, s := range f.Sources {
			seen[s.Note] = true
		}
	}
	return len(seen)
}

// indexEdges fills x.out, x.in and x.degree (the number of distinct
// neighbours, category edges aside) from the edges between indexed
// entities.
func (x *index) indexEdges(edges []graph.Edge) {
	seen := map[[2]string]bool{}
	for _, e := range edges {
		if x.entity[e.From] == nil || x.entity[e.To] == nil {
			continue
		}
		x.out[e.From] = append(x.out[e.From], e)
		x.in[e.To] = append(x.in[e.To], e)
		if e.Kind == "category" {
			continue
		}
		for _, p := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
			if !seen[p] {
				seen[p] = true
				x.degree[p[0]]++
			}
		}
	}
}

// sortedEntities returns the entities by name, then id; the caller must
// not change the slice. An index's entities are sorted once, as
// newEntityIndex makes it: a render asks for them several times.
func (x *index) sortedEntities() []*graph.Entity {
	if x.sorted != nil && len(x.sorted) == len(x.entity) {
		return x.sorted
	}
	type keyed struct {
		name string
		e    *graph.Entity
	}
	ks := make([]keyed, 0, len(x.entity))
	for _, e := range x.entity {
		ks = append(ks, keyed{strings.ToLower(e.Name), e})
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.e.ID, b.e.ID))
	})
	out := make([]*graph.Entity, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
}

// categoryOf returns the category entity of e (itself for a category).
func (x *index) categoryOf(e *graph.Entity) *graph.Entity {
	if e.Kind == "category" {
		return e
	}
	c := e.Category
	if c == "" || x.entity[c] == nil {
		c = otherCategory
	}
	return x.entity[c]
}

// colourOf returns the palette index of e's category.
func (x *index) colourOf(e *graph.Entity) int {
	if c := x.categoryOf(e); c != nil {
		return x.colour[c.ID]
	}
	return 0
}

// known reports whether an entity has anything from the notes: facts,
// mentions or links to other entities.
func (x *index) known(id string) bool {
	return len(x.facts[id]) > 0 || len(x.mentions[id]) > 0 || x.degree[id] > 0
}

// EntityURL returns the page of an entity, relative to the site root:
// categories/<id>.html for a category, services/<id>.html for every other
// kind.
func EntityURL(e *graph.Entity) string {
	if e.Kind == "category" {
		return "categories/" + e.ID + ".html"
	}
	return "services/" + e.ID + ".html"
}

// TopicFacts is how many facts of one topic an entity page lists, the most
// agreed first; a topic with more has a page of its own (TopicURL) that
// lists them all. At 10,000 notes a busy service states thousands of facts:
// on one page they weighed 7.8 MB, and a new fact made all of them again.
const TopicFacts = 30

// EntityTables is how many comparison tables an entity page shows; the
// rest are links to their pages. A service of a large site is in hundreds
// of comparisons: at 10,000 notes their tables were 4 MB of one page.
const EntityTables = 8

// TopicURL returns the page of all the facts of one topic of an entity,
// relative to the site root: a page only a topic with more than TopicFacts
// facts has.
func TopicURL(e *graph.Entity, topic string) string {
	id, _ := TopicSection(topic)
	return "services/" + e.ID + "/" + strings.TrimPrefix(id, "topic-") + ".html"
}

// ComparisonURL returns the page of a comparison, relative to the site root.
func ComparisonURL(id string) string { return "comparisons/" + id + ".html" }

// humanize turns an id such as "use-cases" into "Use cases".
func humanize(id string) string {
	s := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, id)
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// plural returns "1 note" or "3 notes".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// truncate shortens s to about n bytes at a word boundary.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.ToValidUTF8(s[:cut], "") + "…"
}
