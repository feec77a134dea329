package graph

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"weak"

	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/resolve"
)

// Merge combines the extracts of every note into one graph: it merges
// near-duplicate facts, finds conflicts, builds comparisons and sums
// edges. It is cheap next to extraction; a preview server that merges
// after every edit keeps a Merger, which merges again only what the
// changed notes have a part in.
func Merge(extracts []*NoteExtract, k *Knowledge) *Graph {
	return new(Merger).Merge(extracts, k)
}

// Merger merges note extracts as Merge does and keeps, for each note and
// each entity, what it merged: when an edit changes a few notes, only the
// entities those notes state facts of are merged again, the tables built
// from the facts of other entities are kept, the notes' edges are summed
// again only for the notes that changed, and the parts of the graph that
// come out the same are the ones of the last graph.
//
// A Merger knows an extract by its address: an extract must not change
// once it has been merged (a changed note has a new extract). A Merger is
// not safe for concurrent use.
type Merger struct {
	k        *Knowledge
	list     []*NoteExtract               // the extracts of the last Merge, nil ones left out
	notes    map[*NoteExtract]*mergedNote // of list
	entities map[string]*mergedEntity     // the entities with facts, by id
	ids      []string                     // of entities, sorted
	built    map[string]builtTable        // tables built from facts, by the ids they compare
	// edges sums the edges of the notes, as w and how many edges of
	// notes make each (an edge stays while one note still makes it).
	edges     map[edgeKey]edgeSum
	compEdges map[edgeKey]int // the edges the last graph's comparisons made
	// groups counts the notes that use each comparison group id: an id
	// two notes use joins their facts in one comparison, which the
	// comparisons kept per note cannot say.
	groups  map[string]int
	clashes int // ids of groups more than one note uses
	last    *Graph
	// delta is what the last Merge changed, without From: the graph
	// before it is held weakly, so that a Merger does not keep two graphs
	// of a large site alive between edits; whoever compares a Delta's
	// From with its own last graph keeps that graph alive.
	delta Delta
	from  weak.Pointer[Graph]
	// reuse holds merges made before (Reuse), by entity, for the next
	// Merge to take; reused counts those it took of the merged entities.
	reuse          map[string]*EntityMerge
	reused, merged int
}

// EntityMerge is what merging made of one entity's facts: its facts,
// conflicts and the alternative-to edges they make, with the key of the
// notes' facts they were made from. A cache keeps them between runs
// (Merger.Merged, Merger.Reuse): merging a busy entity's facts from
// thousands of notes is most of a large site's merge.
type EntityMerge struct {
	Entity    string
	Key       [sha256.Size]byte
	Facts     []Fact
	Conflicts []Conflict
	Alt       []AltEdge
}

// AltEdge is one alternative-to edge of an EntityMerge, and its weight.
type AltEdge struct {
	From, To, Kind string
	Weight         int
}

// Merged returns what the last Merge made of each entity with facts, in
// the order of their ids.
func (m *Merger) Merged() []EntityMerge {
	out := make([]EntityMerge, 0, len(m.ids))
	for _, id := range m.ids {
		e := m.entities[id]
		if e == nil || !e.merged {
			continue
		}
		em := EntityMerge{Entity: id, Key: e.key, Facts: e.facts, Conflicts: e.conflicts}
		for k, w := range e.alt {
			em.Alt = append(em.Alt, AltEdge{k[0], k[1], k[2], w})
		}
		slices.SortFunc(em.Alt, func(a, b AltEdge) int {
			return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Kind, b.Kind))
		})
		out = append(out, em)
	}
	return out
}

// Reused says how many entities the last Merge merged, and of those how
// many it took the merge of from those Reuse gave it.
func (m *Merger) Reused() (reused, merged int) { return m.reused, m.merged }

// Reuse gives the next Merge the merges Merged returned of another
// Merger, with the same Knowledge (which the caller must see to: a merge
// depends on the catalog): an entity whose notes state the facts its
// merge was made from takes that merge instead of merging them again.
func (m *Merger) Reuse(ms []EntityMerge) {
	m.reuse = make(map[string]*EntityMerge, len(ms))
	for i := range ms {
		m.reuse[ms[i].Entity] = &ms[i]
	}
}

// Delta says what a Merge changed since the one before it, for a renderer
// that makes again only what depends on what changed.
type Delta struct {
	// From is the graph of the Merge before; nil when there was none,
	// when everything may have changed (a new catalog, extracts in another
	// order), or when nothing holds that graph any more (the Merger does
	// not). Then the fields below say nothing.
	From *Graph
	// Notes holds the ids of the notes whose extract changed, came or
	// went. The sections and mentions of other notes are as in From.
	Notes map[string]bool
	// Entities holds the entities that the notes of Notes state facts of,
	// now or in From: only these may have other facts or conflicts than
	// in From, or cite those notes.
	Entities map[string]bool
}

// mergedNote is what a Merger keeps of one note's extract.
type mergedNote struct {
	pos      int              // in the Merger's list
	facts    map[string][]int // entity → indices of its facts in the extract
	entities []string         // the keys of facts, sorted
	explicit []Comparison     // the note's explicit comparisons, without ids
	// keys holds noteFactsKey of the note's facts of each entity.
	keys   map[string][sha256.Size]byte
	groups []string // the comparison group ids the note uses
}

// mergedEntity is what a Merger keeps of one entity with facts.
type mergedEntity struct {
	notes     map[*NoteExtract]bool // the extracts that state its facts
	merged    bool                  // facts, conflicts and alt are made
	key       [sha256.Size]byte     // of the note facts they were made from, in order
	facts     []Fact
	conflicts []Conflict
	alt       map[edgeKey]int // the alternative-to edges its facts make
}

// builtTable is a table built from the facts of ids, kept while their
// facts are the same.
type builtTable struct {
	ids  []string
	c    Comparison
	ok   bool
	used bool // by the last Merge
}

type edgeSum struct{ w, n int }

// Merge is like the function Merge, merging again only what the extracts
// that are not those of the last call have a part in. It gives the same
// graph as the function Merge.
func (m *Merger) Merge(extracts []*NoteExtract, k *Knowledge) *Graph {
	// The extracts, nil ones left out; an extract given twice is two
	// notes, so its second place gets a copy of its own.
	list := make([]*NoteExtract, 0, len(extracts))
	in := make(map[*NoteExtract]bool, len(extracts))
	reset := m.k != k || m.last == nil
	prev := -1
	for _, x := range extracts {
		if x == nil {
			continue
		}
		if in[x] {
			c := *x
			x = &c
		}
		in[x] = true
		// The notes that stay must stay in their order: an entity's facts
		// are merged in the order of the notes.
		if st := m.notes[x]; st != nil {
			if st.pos < prev {
				reset = true
			}
			prev = st.pos
		}
		list = append(list, x)
	}
	if reset {
		m.reset(k)
	}
	var removed, added []*NoteExtract
	for x := range m.notes {
		if !in[x] {
			removed = append(removed, x)
		}
	}
	for _, x := range list {
		if m.notes[x] == nil {
			added = append(added, x)
		}
	}

	// The notes that went and came: the entities they state facts of, the
	// sums of their edges, their comparison groups.
	delta := Delta{From: m.last, Notes: map[string]bool{}, Entities: map[string]bool{}}
	edgesBefore := map[edgeKey]edgeSum{}
	gone := make(map[string]*mergedNote, len(removed)) // note id → what was kept of its last extract
	for _, x := range removed {
		st := m.notes[x]
		gone[x.Note.ID] = st
		delta.Notes[x.Note.ID] = true
		for _, id := range st.entities {
			delta.Entities[id] = true
			delete(m.entities[id].notes, x)
		}
		m.addNoteEdges(x, -1, edgesBefore)
		m.useGroups(st.groups, -1)
		delete(m.notes, x)
	}
	newNotes := make([]*mergedNote, len(added))
	par.ForEach(len(added), func(i int) { newNotes[i] = newMergedNote(added[i]) })
	for i, x := range added {
		st := newNotes[i]
		m.notes[x] = st
		delta.Notes[x.Note.ID] = true
		for _, id := range st.entities {
			delta.Entities[id] = true
			e := m.entities[id]
			if e == nil {
				e = &mergedEntity{notes: map[*NoteExtract]bool{}}
				m.entities[id] = e
			}
			e.notes[x] = true
		}
		m.addNoteEdges(x, 1, edgesBefore)
		m.useGroups(st.groups, 1)
	}
	for i, x := range list {
		m.notes[x].pos = i
	}
	var same map[string]bool
	if !reset && len(added) == len(removed) && len(gone) == len(removed) {
		same = m.sameFacts(gone, added)
	}
	noteEdgesChanged := false
	for key, before := range edgesBefore {
		if m.edges[key] != before {
			noteEdgesChanged = true
			break
		}
	}

	changed, altChanged := m.mergeEntities(delta.Entities, same, k)
	g := &Graph{Version: Version, Entities: slices.Clone(k.Entities)}
	m.notesSectionsMentions(g, list)
	if m.last != nil && len(changed) == 0 {
		g.Facts, g.Conflicts = m.last.Facts, m.last.Conflicts
	} else {
		nf, nc := 0, 0
		for _, id := range m.ids {
			nf += len(m.entities[id].facts)
			nc += len(m.entities[id].conflicts)
		}
		g.Facts, g.Conflicts = make([]Fact, 0, nf), make([]Conflict, 0, nc)
		for _, id := range m.ids {
			g.Facts = append(g.Facts, m.entities[id].facts...)
			g.Conflicts = append(g.Conflicts, m.entities[id].conflicts...)
		}
	}
	g.Comparisons = m.comparisons(list, changed, k)

	compEdges := map[edgeKey]int{}
	comparisonEdges(compEdges, g.Comparisons)
	if m.last != nil && !noteEdgesChanged && !altChanged && maps.Equal(compEdges, m.compEdges) {
		g.Edges = m.last.Edges
	} else {
		w := make(map[edgeKey]int, len(m.edges)+len(compEdges))
		for key, s := range m.edges {
			w[key] = s.w
		}
		catalogEdges(w, k)
		for key, n := range compEdges {
			w[key] += n
		}
		for _, id := range m.ids {
			for key, n := range m.entities[id].alt {
				w[key] += n
			}
		}
		g.Edges = sortedEdges(w)
	}
	m.compEdges = compEdges

	// Empty parts are [] in JSON, never null, so readers need no special case.
	g.Notes = orEmpty(g.Notes)
	g.Entities = orEmpty(g.Entities)
	g.Sections = orEmpty(g.Sections)
	g.Facts = orEmpty(g.Facts)
	g.Conflicts = orEmpty(g.Conflicts)
	g.Comparisons = orEmpty(g.Comparisons)
	g.Edges = orEmpty(g.Edges)
	m.from = weak.Pointer[Graph]{}
	if delta.From != nil {
		m.from = weak.Make(delta.From)
	}
	delta.From = nil
	m.delta, m.last, m.list = delta, g, list
	return g
}

// Delta says what the last Merge changed since the one before it.
func (m *Merger) Delta() Delta {
	d := m.delta
	if d.From = m.from.Value(); d.From == nil {
		return Delta{}
	}
	return d
}

// reset forgets everything merged: the next merge starts afresh.
func (m *Merger) reset(k *Knowledge) {
	*m = Merger{k: k, notes: map[*NoteExtract]*mergedNote{}, entities: map[string]*mergedEntity{},
		built: map[string]builtTable{}, edges: map[edgeKey]edgeSum{}, groups: map[string]int{}, reuse: m.reuse}
}

// newMergedNote works out what a Merger keeps of an extract.
func newMergedNote(x *NoteExtract) *mergedNote {
	st := &mergedNote{facts: map[string][]int{}}
	seen := map[string]bool{}
	// The facts are read in place, and the bytes that the largest
	// entity's key hashes counted (at most those of all the note's facts):
	// a fact is 200 bytes, and a buffer grown fact by fact was most of
	// the hashing.
	size := 0
	for i := range x.Facts {
		f := &x.Facts[i]
		size += len(f.Source.Note) + len(f.Source.Text) + len(f.Text) + len(f.Label) + len(f.Topic) + 6*binary.MaxVarintLen64
		if _, ok := st.facts[f.Entity]; !ok {
			st.entities = append(st.entities, f.Entity)
		}
		st.facts[f.Entity] = append(st.facts[f.Entity], i)
		if f.Group != "" && !seen[f.Group] {
			seen[f.Group] = true
			st.groups = append(st.groups, f.Group)
		}
	}
	slices.Sort(st.entities)
	// The note's key for each entity is made here, where notes are
	// merged on every core, not where the entities' keys are, on one.
	// The facts are hashed as noteFactsKey hashes them, from one buffer,
	// without copying them into a list of each entity's.
	st.keys = make(map[string][sha256.Size]byte, len(st.entities))
	buf := make([]byte, 0, size)
	for _, id := range st.entities {
		buf = buf[:0]
		for _, i := range st.facts[id] {
			buf = appendFactKey(buf, &x.Facts[i])
		}
		st.keys[id] = sha256.Sum256(buf)
	}
	for _, g := range x.Groups {
		if !seen[g.ID] {
			seen[g.ID] = true
			st.groups = append(st.groups, g.ID)
		}
	}
	if len(st.groups) > 0 {
		st.explicit = explicitComparisons(x.Facts, groupsOf([]*NoteExtract{x}))
	}
	return st
}

// addNoteEdges adds the edges of a note to the sums, times sign (1 or
// -1), first noting in before the sum of each edge it changes.
func (m *Merger) addNoteEdges(x *NoteExtract, sign int, before map[edgeKey]edgeSum) {
	for _, e := range x.Edges {
		if e.From == "" || e.To == "" || e.From == e.To {
			continue
		}
		key := edgeKey{e.From, e.To, e.Kind}
		s := m.edges[key]
		if _, ok := before[key]; !ok {
			before[key] = s
		}
		s.w += sign * e.Weight
		s.n += sign
		if s.n == 0 {
			delete(m.edges, key)
		} else {
			m.edges[key] = s
		}
	}
}

// useGroups counts the notes that use each group id, by sign.
func (m *Merger) useGroups(ids []string, sign int) {
	for _, id := range ids {
		n := m.groups[id]
		if n > 1 {
			m.clashes--
		}
		n += sign
		if n > 1 {
			m.clashes++
		}
		if n == 0 {
			delete(m.groups, id)
		} else {
			m.groups[id] = n
		}
	}
}

// sameFacts returns the entities whose merged facts an edit leaves as
// they were, for a Merge whose every added extract replaces a removed one
// of the same note at the same place: those each replaced note states
// facts of, before and after, with the same note key (noteFactsKey). An
// entity's key is made of its notes' keys in note order, and the other
// notes and the order are as they were: an edit of a line of prose in a
// note about a busy service would otherwise make the service's key again
// from thousands of notes. It makes the added notes' keys of those
// entities on the way; nil means any entity may have changed.
func (m *Merger) sameFacts(gone map[string]*mergedNote, added []*NoteExtract) map[string]bool {
	same, differ := map[string]bool{}, map[string]bool{}
	for _, x := range added {
		old, st := gone[x.Note.ID], m.notes[x]
		if old == nil || old.pos != st.pos {
			return nil
		}
		for _, id := range old.entities {
			if _, ok := st.facts[id]; !ok {
				differ[id] = true
			}
		}
		for _, id := range st.entities {
			ok := false
			if was, kept := old.keys[id]; kept {
				var one []NoteFact
				for _, i := range st.facts[id] {
					one = append(one, x.Facts[i])
				}
				key := noteFactsKey(one)
				if st.keys == nil {
					st.keys = map[string][sha256.Size]byte{}
				}
				st.keys[id] = key
				ok = key == was
			}
			if ok {
				same[id] = true
			} else {
				differ[id] = true
			}
		}
	}
	for id := range differ {
		delete(same, id)
	}
	return same
}

// mergeEntities merges again the facts of each entity of touched whose
// note facts changed, on every core, the largest first: one service can
// hold a good part of a large site's facts, and started last it would
// run alone. It returns the entities whose facts changed or went, and
// whether the alternative-to edges their facts make changed.
func (m *Merger) mergeEntities(touched, same map[string]bool, k *Knowledge) (changed map[string]bool, altChanged bool) {
	changed = map[string]bool{}
	type job struct {
		e     *mergedEntity
		facts []NoteFact
		reuse *EntityMerge // a merge made before of the same facts, or nil
	}
	var todo []job
	idsChanged := false
	for id := range touched {
		e := m.entities[id]
		if e == nil {
			continue
		}
		if len(e.notes) == 0 {
			delete(m.entities, id)
			changed[id], idsChanged = true, true
			altChanged = altChanged || len(e.alt) > 0
			continue
		}
		if same[id] && e.merged {
			continue // its key is as it was (sameFacts)
		}
		type part struct {
			x   *NoteExtract
			st  *mergedNote
			pos int
		}
		parts := make([]part, 0, len(e.notes))
		n := 0
		for x := range e.notes {
			st := m.notes[x]
			parts = append(parts, part{x, st, st.pos})
			n += len(st.facts[id])
		}
		slices.SortFunc(parts, func(a, b part) int { return a.pos - b.pos })
		// The key is made of each note's key for the entity, in note
		// order: a busy entity's facts come from thousands of notes, and an
		// edit changes one note's.
		h := sha256.New()
		for _, p := range parts {
			if p.st.keys == nil {
				p.st.keys = map[string][sha256.Size]byte{}
			}
			k, ok := p.st.keys[id]
			if !ok {
				var one []NoteFact
				for _, i := range p.st.facts[id] {
					one = append(one, p.x.Facts[i])
				}
				k = noteFactsKey(one)
				p.st.keys[id] = k
			}
			h.Write(k[:])
		}
		var key [sha256.Size]byte
		h.Sum(key[:0])
		if e.merged && e.key == key {
			continue
		}
		if !e.merged {
			idsChanged = true
		}
		e.key = key
		changed[id] = true
		// A merge made before of the same note facts is taken as it is.
		if r := m.reuse[id]; r != nil && r.Key == key {
			todo = append(todo, job{e, nil, r})
			continue
		}
		fs := make([]NoteFact, 0, n)
		for _, p := range parts {
			for _, i := range p.st.facts[id] {
				fs = append(fs, p.x.Facts[i])
			}
		}
		todo = append(todo, job{e, fs, nil})
	}
	slices.SortStableFunc(todo, func(a, b job) int { return len(b.facts) - len(a.facts) })
	m.reused, m.merged = 0, len(todo)
	for _, j := range todo {
		if j.reuse != nil {
			m.reused++
		}
	}
	altDiffers := make([]bool, len(todo))
	par.ForEach(len(todo), func(j int) {
		e, fs := todo[j].e, todo[j].facts
		alt := map[edgeKey]int{}
		if r := todo[j].reuse; r != nil {
			e.facts, e.conflicts = r.Facts, r.Conflicts
			for _, a := range r.Alt {
				alt[edgeKey{a.From, a.To, a.Kind}] = a.Weight
			}
		} else {
			e.facts, e.conflicts = mergeFacts(fs, k), findConflicts(fs, k)
			alternativeEdges(alt, e.facts, k)
		}
		altDiffers[j] = !maps.Equal(alt, e.alt)
		e.alt, e.merged = alt, true
	})
	m.reuse = nil // the first Merge took what it could
	if idsChanged {
		m.ids = slices.Sorted(maps.Keys(m.entities))
	}
	return changed, altChanged || slices.Contains(altDiffers, true)
}

// notesSectionsMentions puts the notes, sections and mentions of list in
// g; those of the last graph when they are the same.
func (m *Merger) notesSectionsMentions(g *Graph, list []*NoteExtract) {
	sameNotes, sameSections, sameMentions := false, false, false
	if m.last != nil && len(list) == len(m.list) {
		sameNotes, sameSections, sameMentions = true, true, true
		for i, x := range list {
			if y := m.list[i]; x != y {
				sameNotes = sameNotes && x.Note == y.Note
				sameSections = sameSections && sectionsEqual(x.Sections, y.Sections)
				sameMentions = sameMentions && slices.Equal(x.Mentions, y.Mentions)
			}
		}
	}
	// Size every list once: at 10,000 notes these are millions of items,
	// and growing them by appending costs more than merging.
	nSections := 0
	for _, x := range list {
		nSections += len(x.Sections)
	}
	if sameNotes {
		g.Notes = m.last.Notes
	} else {
		g.Notes = make([]Note, 0, len(list))
		for _, x := range list {
			g.Notes = append(g.Notes, x.Note)
		}
	}
	if sameSections {
		g.Sections = m.last.Sections
	} else {
		g.Sections = make([]Section, 0, nSections)
		for _, x := range list {
			g.Sections = append(g.Sections, x.Sections...)
		}
	}
	// Each note's mentions are its extract's, and no flat list of them is
	// made (see Graph.NoteMentions): at 10,000 notes it was 63 MB copied
	// on one core.
	g.NoteMentions = make([][]Mention, len(list))
	for i, x := range list {
		g.NoteMentions[i] = x.Mentions[:len(x.Mentions):len(x.Mentions)]
	}
	if sameMentions && m.last.NoteMentions != nil {
		g.NoteMentions = m.last.NoteMentions
	}
}

func sectionsEqual(a, b []Section) bool {
	return slices.EqualFunc(a, b, func(x, y Section) bool {
		return x.Note == y.Note && x.Line == y.Line && x.Level == y.Level && x.Heading == y.Heading &&
			(x.Entity == nil) == (y.Entity == nil) && (x.Entity == nil || *x.Entity == *y.Entity) &&
			slices.Equal(x.Entities, y.Entities) && x.Context == y.Context && x.Topic == y.Topic &&
			x.Annotation == y.Annotation && x.Parent == y.Parent
	})
}

// comparisons assembles the comparisons: the explicit ones kept per note
// (or, when two notes use one group id, made from every note's facts),
// the notes' tables, and the tables built from facts, kept for the sets
// of entities whose facts did not change.
func (m *Merger) comparisons(list []*NoteExtract, changed map[string]bool, k *Knowledge) []Comparison {
	var explicit, tables []Comparison
	if m.clashes > 0 {
		var facts []NoteFact
		for _, x := range list {
			facts = append(facts, x.Facts...)
		}
		explicit = explicitComparisons(facts, groupsOf(list))
	} else {
		for _, x := range list {
			explicit = append(explicit, m.notes[x].explicit...)
		}
	}
	for _, x := range list {
		tables = append(tables, x.Comparisons...)
	}
	for key, t := range m.built {
		t.used = false
		m.built[key] = t
	}
	built := func(sets [][]string) ([]Comparison, []bool) {
		ts := make([]builtTable, len(sets))
		keys := make([]string, len(sets))
		first := map[string]int{} // a set asked for twice is made once
		var todo []int
		for i, ids := range sets {
			keys[i] = strings.Join(ids, "\x00")
			if _, dup := first[keys[i]]; dup {
				continue
			}
			first[keys[i]] = i
			t, ok := m.built[keys[i]]
			if ok {
				for _, id := range ids {
					if changed[id] {
						ok = false
						break
					}
				}
			}
			if ok {
				ts[i] = t
			} else {
				todo = append(todo, i)
			}
		}
		// A first merge makes hundreds of tables: on every core.
		par.ForEach(len(todo), func(j int) {
			i := todo[j]
			ids := sets[i]
			// builtComparison reads the facts of ids in the graph's
			// order: by entity id.
			var facts []Fact
			for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
				if e := m.entities[id]; e != nil {
					facts = append(facts, e.facts...)
				}
			}
			ts[i] = builtTable{ids: slices.Clone(ids)}
			ts[i].c, ts[i].ok = builtComparison(ids, facts, k)
		})
		cs, oks := make([]Comparison, len(sets)), make([]bool, len(sets))
		for i := range sets {
			ts[i] = ts[first[keys[i]]]
			ts[i].used = true
			m.built[keys[i]] = ts[i]
			cs[i], oks[i] = ts[i].c, ts[i].ok
		}
		return cs, oks
	}
	out := assembleComparisons(explicit, tables, built, k)
	for key, t := range m.built {
		if !t.used {
			delete(m.built, key)
		}
	}
	return out
}

// noteFactsKey identifies what an entity's facts were merged from.
func noteFactsKey(fs []NoteFact) [sha256.Size]byte {
	var buf []byte
	for i := range fs {
		buf = appendFactKey(buf, &fs[i])
	}
	return sha256.Sum256(buf)
}

// appendFactKey appends what noteFactsKey hashes of f to buf: each field
// with its length first, so that no text of a note can make two lists of
// facts hash alike (a note cache keeps these keys).
func appendFactKey(buf []byte, f *NoteFact) []byte {
	field := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	field(f.Source.Note)
	buf = binary.AppendVarint(buf, int64(f.Source.Line))
	field(f.Source.Text)
	field(f.Text)
	field(f.Label)
	field(f.Topic)
	return buf
}

// --- facts ---

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "at": true,
	"for": true, "and": true, "or": true, "is": true, "are": true, "be": true, "can": true, "per": true,
	"with": true, "by": true, "it": true, "its": true, "this": true, "that": true, "from": true,
	"as": true, "up": true, "into": true, "than": true, "then": true, "you": true, "your": true,
	"we": true, "our": true, "will": true, "if": true, "there": true, "which": true, "so": true,
}

// synonyms map words that notes use interchangeably in facts onto one.
var synonyms = map[string]string{
	"sec": "s", "second": "s", "message": "record", "msg": "record", "mega": "mb",
	"mbps": "mb", "kbs": "kb", "upto": "up", "shared": "shard",
}

// dropThousands removes the comma of each digit, comma and three digits,
// as the regexp (\d),(\d{3}) replaced by $1$2 does, matches taken left
// to right without overlapping ("1,000,000" is "1000,000"): at 10,000
// notes the regexp was a tenth of the extraction.
func dropThousands(s string) string {
	if strings.IndexByte(s, ',') < 0 {
		return s
	}
	digit := func(k int) bool { return k < len(s) && s[k] >= '0' && s[k] <= '9' }
	var b []byte
	for k := 0; k < len(s); {
		if digit(k) && k+1 < len(s) && s[k+1] == ',' && digit(k+2) && digit(k+3) && digit(k+4) {
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[:k]...)
			}
			b = append(b, s[k], s[k+2], s[k+3], s[k+4])
			k += 5
			continue
		}
		if b != nil {
			b = append(b, s[k])
		}
		k++
	}
	if b == nil {
		return s
	}
	return string(b)
}

// factWords returns the words a fact is compared by, and its numbers.
func factWords(text string) (words []string, numbers []string) {
	text = dropThousands(text)
	text = strings.ToLower(text)
	if isASCII(text) {
		return factWordsASCII(text)
	}
	return factWordsRunes(text)
}

// factWordsRunes is factWords of a lowercase text.
func factWordsRunes(text string) (words []string, numbers []string) {
	var cur []rune
	var kind int // 0 none, 1 letters, 2 digits
	flush := func() {
		if len(cur) == 0 {
			return
		}
		words, numbers = addFactWord(words, numbers, string(cur), kind == 2)
		cur = cur[:0]
	}
	rs := []rune(text)
	for i, r := range rs {
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case unicode.IsDigit(r) && kind == 1:
			// A digit after letters is part of a name ("S3", "EC2",
			// "bzip2", "dc2"), not a number the statement gives.
			k = 1
		case unicode.IsDigit(r) || (r == '.' && kind == 2):
			k = 2
		}
		if k == 1 && kind == 2 && !unitAt(rs, i) {
			kind = 1 // "3rd", "8xlarge": a word, not a number and its unit
		}
		if k != kind {
			flush()
			kind = k
		}
		if k != 0 {
			cur = append(cur, r)
		}
	}
	flush()
	slices.Sort(numbers)
	numbers = slices.Compact(numbers)
	return words, numbers
}

// factWordsASCII is factWords of a lowercase ASCII text, most facts: its
// words are substrings of text, and no text is decoded into runes.
func factWordsASCII(text string) (words []string, numbers []string) {
	letter := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	digit := func(c byte) bool { return '0' <= c && c <= '9' }
	start := -1
	var kind int // 0 none, 1 letters, 2 digits
	flush := func(end int) {
		if start < 0 {
			return
		}
		words, numbers = addFactWord(words, numbers, text[start:end], kind == 2)
		start = -1
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		k := 0
		switch {
		case letter(c):
			k = 1
		case digit(c) && kind == 1:
			k = 1
		case digit(c) || (c == '.' && kind == 2):
			k = 2
		}
		if k == 1 && kind == 2 && !unitAtASCII(text, i) {
			kind = 1
		}
		if k != kind {
			flush(i)
			kind = k
		}
		if k != 0 && start < 0 {
			start = i
		}
	}
	flush(len(text))
	slices.Sort(numbers)
	numbers = slices.Compact(numbers)
	return words, numbers
}

// addFactWord adds a word of a fact as factWords counts it: a number to
// both lists; another word normalised, as its synonym, unless a stop word.
func addFactWord(words, numbers []string, w string, number bool) ([]string, []string) {
	if number {
		return append(words, w), append(numbers, w)
	}
	w = resolve.Normalize(w)
	if s, ok := synonyms[w]; ok {
		w = s
	}
	if !stopWords[w] && !stopTypo(w) {
		words = append(words, w)
	}
	return words, numbers
}

// unitAtASCII is unitAt of an ASCII text, at its byte i.
func unitAtASCII(text string, i int) bool {
	j := i
	for j < len(text) && ('a' <= text[j] && text[j] <= 'z' || 'A' <= text[j] && text[j] <= 'Z') {
		j++
	}
	return isUnit(text[i:j])
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// unitAt reports whether the letters at rs[i:], right after a number,
// are its unit ("1MB", "10ms", "2Gbps") rather than the rest of a word.
func unitAt(rs []rune, i int) bool {
	j := i
	for j < len(rs) && unicode.IsLetter(rs[j]) {
		j++
	}
	return isUnit(string(rs[i:j]))
}

// isUnit reports whether the letters u after a number are a unit.
func isUnit(u string) bool {
	if _, kind := unitScale(u); kind != "" {
		return true
	}
	// Rates and plurals: "10Mbps", "400Kbs".
	switch strings.TrimSuffix(strings.TrimSuffix(u, "ps"), "s") {
	case "kb", "mb", "gb", "tb", "kib", "mib", "gib":
		return true
	}
	return false
}

type factKey struct {
	words   []string
	numbers []string
	names   []string // the words with digits: "s3", "aes256", "dc2"
	text    string
	shape   *factShape // of text, worked out when two facts are alike enough to need it
}

// newFactKey is what facts are compared by: the words and numbers of
// text (factWords), and text itself for what the words lose.
func newFactKey(text string, words, numbers []string) factKey {
	var names []string
	for _, w := range words {
		if hasDigit(w) && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			names = append(names, w)
		}
	}
	slices.Sort(names)
	return factKey{words: words, numbers: numbers, names: slices.Compact(names), text: text}
}

// similarity is the share of words two facts have in common, where two
// words are the same if they are equal or one letter apart (so typos
// match).
func similarity(a, b []string) (float64, int) {
	used := make([]bool, len(b))
	common := 0
	for _, x := range a {
		for j, y := range b {
			if used[j] {
				continue
			}
			if x == y || typo(x, y) {
				used[j] = true
				common++
				break
			}
		}
	}
	union := len(a) + len(b) - common
	if union == 0 {
		return 0, 0
	}
	return float64(common) / float64(union), common
}

// typo reports whether two words are one letter apart, as a misspelling
// is. Names with digits ("dc2", "ds2") never are, and nor are two short
// words of one length: a letter changed in three makes another word or
// abbreviation ("RCU" and "WCU", "CME" and "CMD"), while a letter added
// to one ("way", "wasy") is a typo.
func typo(x, y string) bool {
	if len(x) < 3 || len(y) < 3 || hasDigit(x) || hasDigit(y) {
		return false
	}
	if len(x) < 4 && len(x) == len(y) {
		return false
	}
	return closeWords(x, y)
}

// stopTypo reports whether w is a misspelt stop word ("cna", "teh"): a
// swap of two letters of one, which typo-ridden notes are full of.
func stopTypo(w string) bool {
	if len(w) < 3 || len(w) > 4 {
		return false
	}
	var buf [4]byte
	for i := 0; i+1 < len(w); i++ {
		b := append(buf[:0], w...)
		b[i], b[i+1] = b[i+1], b[i]
		if stopWords[string(b)] {
			return true
		}
	}
	return false
}

func closeWords(a, b string) bool {
	if d := len(a) - len(b); d > 1 || d < -1 {
		return false
	}
	return editDistance1(a, b)
}

// editDistance1 reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of neighbours.
func editDistance1(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

// sameFact decides whether two statements of one entity say the same:
// they share most of their words, and their wording does not say
// opposite things with them (contrary).
func sameFact(a, b *factKey) bool {
	return alike(a, b) && !contrary(a, b)
}

// alike reports whether two statements share enough of their words and
// all of their numbers and names to be one statement.
func alike(a, b *factKey) bool {
	// Names with digits are as exact as numbers: "AES256" is not
	// "aws:kms", and "dc2" is not "ds2".
	if !slices.Equal(a.names, b.names) {
		return false
	}
	if len(a.numbers) > 0 || len(b.numbers) > 0 {
		if !slices.Equal(a.numbers, b.numbers) {
			return false
		}
		s, _ := similarity(a.words, b.words)
		return s >= 0.5
	}
	s, common := similarity(a.words, b.words)
	return s >= 0.6 && common >= 2
}

// --- statements that share their words and say opposite things ---

// factShape is what the bag of words of a statement loses and what two
// statements with the same words can say opposite things by.
type factShape struct {
	negated  bool        // "not", "no", "non", "without", "can't"
	bounds   uint8       // boundAbove | boundBelow: "<= 50", "more than two"
	from, to []string    // the head words after "from", and after "to" or "into"
	paths    [][]string  // the parts of each path of three or more ("yyyy/mm/dd")
	joined   [][2]string // the content words either side of each "and" and "or"
}

const (
	boundAbove = 1 << iota // "<", "<=", "less than", "at most"
	boundBelow             // ">", ">=", "more than", "at least"
)

// negations turn a statement into its opposite.
var negations = map[string]bool{
	"not": true, "no": true, "non": true, "never": true, "without": true, "cannot": true, "none": true,
	"nor": true,
	// Contractions typed without their apostrophe.
	"cant": true, "dont": true, "doesnt": true, "isnt": true, "arent": true, "wont": true, "didnt": true,
	"wasnt": true, "werent": true, "shouldnt": true, "wouldnt": true, "couldnt": true, "mustnt": true,
}

// comparatives are the words before "than" that bound a quantity.
var comparatives = map[string]uint8{
	"less": boundAbove, "fewer": boundAbove, "lower": boundAbove, "smaller": boundAbove, "shorter": boundAbove,
	"more": boundBelow, "greater": boundBelow, "higher": boundBelow, "larger": boundBelow, "bigger": boundBelow,
	"longer": boundBelow,
}

// shapeOf returns the shape of the key's text, working it out the first
// time: only facts alike enough to merge need it.
func (k *factKey) shapeOf() *factShape {
	if k.shape == nil {
		k.shape = newFactShape(k.text)
	}
	return k.shape
}

type shapeToken struct {
	s    string
	kind byte // 'w' a word or number, 'o' a comparison sign, 'b' a break (punctuation)
}

// shapeTokens splits text into lowercase words (with their apostrophes,
// so "can't" is one word, and "1.1" one number), runs of comparison
// signs, and breaks: any other punctuation. Spaces and hyphens only
// separate words.
func shapeTokens(text string) []shapeToken {
	var toks []shapeToken
	rs := []rune(strings.ToLower(text))
	isWord := func(i int) bool {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return true
		case r == '\'' || r == '’':
			return i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1])
		case r == '.':
			return i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1])
		}
		return false
	}
	isSign := func(r rune) bool { return strings.ContainsRune("<>=≤≥", r) }
	for i := 0; i < len(rs); {
		j := i + 1
		switch r := rs[i]; {
		case isWord(i):
			for j < len(rs) && isWord(j) {
				j++
			}
			toks = append(toks, shapeToken{strings.ReplaceAll(string(rs[i:j]), "’", "'"), 'w'})
		case isSign(r):
			for j < len(rs) && isSign(rs[j]) {
				j++
			}
			toks = append(toks, shapeToken{string(rs[i:j]), 'o'})
		case unicode.IsSpace(r) || r == '-' || r == '–':
		default:
			toks = append(toks, shapeToken{"", 'b'})
		}
		i = j
	}
	return toks
}

var pathRE = regexp.MustCompile(`[\p{L}\p{N}]+(?:/[\p{L}\p{N}]+){2,}`)

// pathMatches returns pathRE's matches in the lower-cased text; a text
// with fewer than two slashes has none.
func pathMatches(text string) []string {
	if strings.Count(text, "/") < 2 {
		return nil
	}
	return pathRE.FindAllString(strings.ToLower(text), -1)
}

// newFactShape works out the shape of a statement.
func newFactShape(text string) *factShape {
	sh := &factShape{}
	toks := shapeTokens(text)
	word := func(i int) string {
		if i >= 0 && i < len(toks) && toks[i].kind == 'w' {
			return toks[i].s
		}
		return ""
	}
	for i, t := range toks {
		if t.kind == 'o' {
			// A sign before a number: "<= 50", ">50"; not an arrow ("=>",
			// "->") or a bracket.
			if w := word(i + 1); w != "" && unicode.IsDigit(rune(w[0])) {
				switch t.s {
				case "<", "<=", "≤":
					sh.bounds |= boundAbove
				case ">", ">=", "≥":
					sh.bounds |= boundBelow
				}
			}
			continue
		}
		if t.kind != 'w' {
			continue
		}
		switch w := t.s; {
		case negations[w] || strings.HasSuffix(w, "n't"):
			sh.negated = true
		case w == "than":
			sh.bounds |= comparative(word(i - 1))
		case w == "at" && word(i+1) == "least":
			sh.bounds |= boundBelow
		case w == "at" && word(i+1) == "most":
			sh.bounds |= boundAbove
		case w == "from":
			sh.from = append(sh.from, headAfter(toks, i+1)...)
		case w == "to" || w == "into" || w == "onto":
			sh.to = append(sh.to, headAfter(toks, i+1)...)
		case w == "and" || w == "or":
			// "clients and brokers", "Spot or Instance Fleet".
			l, r := shapeWord(word(i-1)), ""
			for j := i + 1; j < len(toks) && toks[j].kind == 'w'; j++ {
				if r = shapeWord(toks[j].s); !stopWords[r] {
					break
				}
			}
			if isContent(l) && isContent(r) {
				sh.joined = append(sh.joined, [2]string{l, r})
			}
		}
	}
	// A path has two slashes at least: most texts have none to look for.
	for _, p := range pathMatches(text) {
		sh.paths = append(sh.paths, strings.Split(p, "/"))
	}
	return sh
}

// shapeWord is w as factWords has it: singular, one of its synonyms, and
// not possessive.
func shapeWord(w string) string {
	if w == "" {
		return ""
	}
	w = resolve.Normalize(strings.TrimSuffix(w, "'s"))
	if s, ok := synonyms[w]; ok {
		return s
	}
	return w
}

// comparative returns the bound that w says before "than", allowing a
// typo ("les than").
func comparative(w string) uint8 {
	if b, ok := comparatives[w]; ok || len(w) < 3 {
		return b
	}
	var found uint8
	for c, b := range comparatives {
		if closeWords(w, c) {
			found |= b
		}
	}
	if found == boundAbove|boundBelow {
		return 0
	}
	return found
}

// headAfter returns the head of the phrase that starts at toks[i]: its
// last content word before a stop word, a break or a third word ("S3"
// in "from S3 into HDFS", "stream" in "to the Kinesis data streams").
func headAfter(toks []shapeToken, i int) []string {
	var head string
	n := 0
	for ; i < len(toks) && toks[i].kind == 'w' && n < 3; i++ {
		w := shapeWord(toks[i].s)
		if stopWords[w] {
			if n == 0 {
				continue // "from the bucket"
			}
			break
		}
		head, n = w, n+1
	}
	if head == "" {
		return nil
	}
	return []string{head}
}

// contrary reports whether two statements that share their words say
// opposite things with them: one is negated and the other not ("non AWS
// sources", "AWS sources"); they bound a number the other way ("<= 50
// nodes", "> 50 nodes"); what one moves from the other moves to ("from
// S3 into HDFS", "from HDFS into S3"); they order a path's parts
// differently ("yyyy/mm/dd/device", "device/yyyy/mm/dd"); one joins
// two words with "and" or "or" and the other has only one of them
// ("between the clients and brokers", "between the brokers"); or they
// are one wording with one place filled by different words ("simple
// producer", "simple consumer").
func contrary(a, b *factKey) bool {
	sa, sb := a.shapeOf(), b.shapeOf()
	switch {
	case sa.negated != sb.negated:
		return true
	case sa.bounds != 0 && sb.bounds != 0 && sa.bounds != sb.bounds:
		return true
	case crossed(sa.from, sb.to) || crossed(sa.to, sb.from):
		return true
	case reordered(sa.paths, sb.paths):
		return true
	case lacksJoined(sa.joined, b.words) || lacksJoined(sb.joined, a.words):
		return true
	}
	return substituted(a.words, b.words, a.text, b.text)
}

// crossed reports whether a word of x is one of y.
func crossed(x, y []string) bool {
	for _, u := range x {
		for _, v := range y {
			if u == v || typo(u, v) {
				return true
			}
		}
	}
	return false
}

// lacksJoined reports whether words have one of two words a statement
// joins with "and" or "or" and nothing like the other: "between the
// brokers" is not "between the clients and brokers", nor "Spot" "Spot or
// Instance Fleet".
func lacksJoined(joined [][2]string, words []string) bool {
	has := func(w string) bool {
		return slices.ContainsFunc(words, func(v string) bool { return related(w, v) })
	}
	for _, p := range joined {
		if has(p[0]) != has(p[1]) {
			return true
		}
	}
	return false
}

// reordered reports whether a path of x has the parts of one of y in
// another order.
func reordered(x, y [][]string) bool {
	for _, p := range x {
		for _, q := range y {
			if len(p) != len(q) || slices.Equal(p, q) {
				continue
			}
			sp, sq := slices.Clone(p), slices.Clone(q)
			slices.Sort(sp)
			slices.Sort(sq)
			if slices.Equal(sp, sq) {
				return true
			}
		}
	}
	return false
}

// substituted reports whether two statements are one wording with one
// place filled by different words ("AWS SDK: simple producer" and
// "...: simple consumer", "read permissions" and "write permissions",
// "the crawler" and "developer endpoints"): the words before and after
// that place are the same, in order, and most of the statement (three
// content words or more, not numbers, units or modal words, and twice as
// many as fill the place), and no word in the place is in the other's,
// nor a misspelling, an abbreviation or another form of one there. A
// statement that adds words to another ("Single Column", "Single Column
// Key") substitutes none.
func substituted(a, b []string, at, bt string) bool {
	same := func(x, y string) bool { return x == y || typo(x, y) && !antonymPrefixed(x, y) }
	p := 0
	for p < len(a) && p < len(b) && same(a[p], b[p]) {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && same(a[len(a)-1-s], b[len(b)-1-s]) {
		s++
	}
	x, y := contentWords(a[p:len(a)-s]), contentWords(b[p:len(b)-s])
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	// The same words around the place must be most of the statement:
	// "2 MB/s output per enhanced consumer" and "2 MB/s at read per shard
	// per enhanced consumer" share too little else to be one wording.
	context := len(contentWords(slices.Concat(a[:p], a[len(a)-s:])))
	if context < 3 || context < 2*max(len(x), len(y)) {
		return false
	}
	opposite := false
	for _, u := range x {
		for _, v := range y {
			if related(u, v) {
				return false
			}
			opposite = opposite || antonymPrefixed(u, v)
		}
	}
	// Spaces typed in the wrong place make other words: "per shard" typed
	// "pers hare" is the word "hare" where the other has "shard".
	return opposite || !sameLetters(at, bt)
}

// sameLetters reports whether two texts are one text but for its spaces,
// punctuation and two typos.
func sameLetters(a, b string) bool {
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	a, b = letters(a), letters(b)
	if d := len(a) - len(b); d > 2 || d < -2 {
		return false
	}
	return osaDistance(a, b) <= 2
}

// modalWords say how a statement holds rather than what it says: "it's
// necessary to create" is "must create".
var modalWords = map[string]bool{
	"must": true, "should": true, "need": true, "necessary": true, "required": true, "mandatory": true,
	"may": true, "might": true, "could": true, "would": true, "shall": true, "always": true, "also": true,
	"just": true,
}

// contentWords returns the words of ws that say what a statement is
// about.
func contentWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if isContent(w) {
			out = append(out, w)
		}
	}
	return out
}

// isContent reports whether a word of factWords says what a statement is
// about: it is no number, unit, stop word or modal word.
func isContent(w string) bool {
	return w != "" && (w[0] < '0' || w[0] > '9') && !unitWords[w] && !modalWords[w] && !stopWords[w]
}

// antonymPrefixed reports whether one word is the other with a leading
// "a" ("sync", "async"), which is one letter apart and the opposite.
func antonymPrefixed(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	return len(x) >= 4 && y == "a"+x
}

// related reports whether two words may be one word written two ways:
// a misspelling ("comunciatie", "communicate"), an abbreviation ("max",
// "maximum") or another form ("automated", "automatically"). Words
// that are neither ("producer", "consumer"; "read", "write"; "JSON",
// "CSV") are distinct.
func related(u, v string) bool {
	if len(u) > len(v) {
		u, v = v, u
	}
	switch {
	case u == v:
		return true
	case antonymPrefixed(u, v):
		return false
	case closeWords(u, v):
		return true
	case len(u) >= 3 && strings.HasPrefix(v, u):
		return true
	case commonPrefix(u, v) >= 6:
		return true
	}
	// A misspelling keeps the first letter and most of the others, of
	// the word or of its beginning ("trhough" for "throughput").
	if u[0] != v[0] {
		return false
	}
	return osaDistance(u, v) <= len(v)/3 || len(u) >= 4 && osaDistance(u, v[:len(u)]) <= len(u)/3
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// osaDistance is the number of insertions, deletions, substitutions and
// swaps of neighbours that make a into b (optimal string alignment).
func osaDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func mergeFacts(facts []NoteFact, k *Knowledge) []Fact {
	keys := make([]factKey, len(facts))
	for i, f := range facts {
		w, n := f.words, f.numbers
		if w == nil && n == nil {
			w, n = factWords(f.Text) // a fact made outside Extract
		}
		keys[i] = newFactKey(f.Text, w, n)
	}
	// Union-find over facts of one entity, comparing only facts that share
	// a blocking key (their numbers, or one of their rarest words), so
	// merging stays near linear in the number of facts.
	parent := make([]int, len(facts))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	byEntity := map[string][]int{}
	for i, f := range facts {
		byEntity[f.Entity] = append(byEntity[f.Entity], i)
	}
	for _, all := range byEntity {
		// Facts worded exactly alike are one fact: they are joined at once
		// and only the first of them is compared with the others, which
		// for a fact that a thousand notes copy saves a million
		// comparisons. sameFact is a function of the keys, which the same
		// text makes the same, so the result is the one of comparing all.
		// Whether sameFact holds of a text with itself is asked once, when
		// its first copy comes: a fact too vague to compare stays apart.
		type firstOf struct {
			i           int
			same, asked bool
		}
		first := map[string]*firstOf{}
		idx := make([]int, 0, len(all))
		for _, i := range all {
			f := first[facts[i].Text]
			if f == nil {
				first[facts[i].Text] = &firstOf{i: i}
				idx = append(idx, i)
				continue
			}
			if !f.asked {
				f.same, f.asked = sameFact(&keys[f.i], &keys[f.i]), true
			}
			if !f.same {
				idx = append(idx, i)
				continue
			}
			parent[find(i)] = find(f.i)
		}
		// The rarest words are told from every fact, copies too.
		df := map[string]int{}
		for _, i := range all {
			seen := map[string]bool{}
			for _, w := range keys[i].words {
				if !seen[w] {
					df[w]++
					seen[w] = true
				}
			}
		}
		blocks := map[string][]int{}
		for _, i := range idx {
			for _, b := range blockKeys(keys[i], df) {
				blocks[b] = append(blocks[b], i)
			}
		}
		for _, members := range blocks {
			if len(members) > 200 {
				members = members[:200] // a key shared by hundreds of facts says little
			}
			for a := 0; a < len(members); a++ {
				for b := a + 1; b < len(members); b++ {
					i, j := members[a], members[b]
					if find(i) == find(j) {
						continue
					}
					if sameFact(&keys[i], &keys[j]) {
						parent[find(i)] = find(j)
					}
				}
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range facts {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	out := make([]Fact, 0, len(roots))
	for _, r := range roots {
		out = append(out, makeFact(facts, groups[r], k))
	}
	slices.SortFunc(out, func(a, b Fact) int {
		return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(b.Notes, a.Notes),
			cmp.Compare(a.Sources[0].Note, b.Sources[0].Note), cmp.Compare(a.Sources[0].Line, b.Sources[0].Line))
	})
	seen := map[string]int{}
	for i := range out {
		id := out[i].ID
		if n := seen[id]; n > 0 {
			out[i].ID = id + "-" + strconv.Itoa(n+1)
		}
		seen[id]++
	}
	return out
}

func blockKeys(k factKey, df map[string]int) []string {
	if len(k.numbers) > 0 {
		return []string{"#" + strings.Join(k.numbers, ",")}
	}
	ws := slices.Clone(k.words)
	slices.SortFunc(ws, func(a, b string) int { return cmp.Or(cmp.Compare(df[a], df[b]), cmp.Compare(a, b)) })
	ws = slices.Compact(ws)
	return ws[:min(3, len(ws))]
}

// makeFact merges the statements idx into one fact, worded as the
// clearest of them says it.
func makeFact(facts []NoteFact, idx []int, k *Knowledge) Fact {
	best := idx[0]
	bestScore := -1.0
	topics := map[string]int{}
	notes := map[string]bool{}
	var sources []Source
	for _, i := range idx {
		f := facts[i]
		topics[f.Topic]++
		notes[f.Source.Note] = true
		sources = append(sources, f.Source)
		s := f.wording
		if f.words == nil {
			s = wordingScore(f.Text, k)
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	slices.SortFunc(sources, func(a, b Source) int {
		return cmp.Or(cmp.Compare(a.Note, b.Note), cmp.Compare(a.Line, b.Line))
	})
	sources = slices.Compact(sources)
	shareWordings(sources)
	topic, n := facts[best].Topic, 0
	for t, c := range topics {
		if c > n || (c == n && t < topic) {
			topic, n = t, c
		}
	}
	f := facts[best]
	text := tidy(f.Text)
	if f.Label != "" && wordCount(text) <= 6 {
		text = lastLabel(f.Label) + ": " + text
	}
	words := f.words
	if words == nil || text != tidy(f.Text) {
		words = sortedWords(text)
	} else {
		words = slices.Clone(words)
		slices.Sort(words)
	}
	h := sha256.Sum256([]byte(f.Entity + "\x00" + strings.Join(words, " ")))
	return Fact{
		ID: "f-" + hex.EncodeToString(h[:5]), Entity: f.Entity, Topic: topic, Text: text, Label: f.Label,
		Sources: sources, Notes: len(notes),
	}
}

// shareWordings makes the sources of a fact that quote the same wording
// share one string. A fact that thousands of notes state alike is listed
// and hashed by comparing its sources' wordings, which is then a pointer
// comparison rather than a byte by byte one.
func shareWordings(sources []Source) {
	if len(sources) <= 16 {
		return
	}
	seen := make(map[string]string, 8)
	for i := range sources {
		t := sources[i].Text
		if u, ok := seen[t]; ok {
			sources[i].Text = u
		} else if len(seen) < 256 {
			seen[t] = t
		}
	}
}

func lastLabel(l string) string {
	if i := strings.LastIndex(l, " › "); i >= 0 {
		return l[i+len(" › "):]
	}
	return l
}

func sortedWords(s string) []string {
	w, _ := factWords(s)
	slices.Sort(w)
	return w
}

// wordingScore prefers statements whose words a reader knows (no typos)
// and that are complete but not rambling.
func wordingScore(text string, k *Knowledge) float64 {
	// The words are the runs of letters, read in place: a fact's words
	// are counted once per fact of every note.
	words, known, upper := 0, 0, 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start, shouts := i, true
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) {
				break
			}
			shouts = shouts && unicode.ToUpper(r) == r // strings.ToUpper(w) == w
			i += size
		}
		w := text[start:i]
		words++
		if k.Resolver.Known(w) {
			known++
		}
		// Shouting ("PER SHARD") and very long bullets read worse.
		if len(w) > 3 && shouts {
			upper++
		}
	}
	if words == 0 {
		return 0
	}
	score := float64(known) / float64(words)
	score -= 0.05 * float64(upper)
	if len(text) > 200 {
		score -= 0.1
	}
	return score + float64(min(len(text), 120))/10000
}

// tidy turns a note's wording into the site's: first letter capitalised,
// no trailing colon.
func tidy(s string) string {
	s = strings.TrimSpace(strings.TrimRight(s, " :;,"))
	if s == "" {
		return s
	}
	r := []rune(s)
	if unicode.IsLower(r[0]) {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// --- conflicts ---

// comparableAttrs are the attributes whose values notes can contradict.
var comparableAttrs = map[string]bool{"retention": true, "size": true, "throughput": true}

// conflictKey refines a quantity's key with what it is about, so that the
// read and the write throughput of a stream are never taken for one
// attribute.
func conflictKey(q Quantity, text string) string {
	lower := strings.ToLower(text)
	switch q.Attribute {
	case "throughput":
		// Bytes and records per second are two attributes, never two
		// values of one.
		unit := " (records/s)"
		if q.Unit == "B/s" {
			unit = " (bytes/s)"
		}
		// The words that say which way data flows, strongest first: "gets
		// 1 MB/s in" is a write limit, "2 MB/s at read" a read limit.
		for _, dir := range []struct {
			key   string
			words []string
		}{
			{"read", []string{"read"}}, {"write", []string{"write"}},
			{"read", []string{"consumer", "consum", "output", " out "}},
			{"write", []string{"producer", "produc", "input", " in ", "ingest", " put"}},
		} {
			if containsAny(" "+lower+" ", dir.words...) {
				return dir.key + " throughput" + unit
			}
		}
		return ""
	case "size":
		// A blob, a payload and a record are the same thing of a stream.
		for _, noun := range []struct{ word, key string }{
			{"record", "record"}, {"blob", "record"}, {"bloc", "record"}, {"payload", "record"},
			{"message", "message"}, {"item", "item"}, {"object", "object"}, {"file", "file"},
		} {
			if strings.Contains(lower, noun.word) {
				return noun.key + " size (" + cmp.Or(q.Qualifier, "max") + ")"
			}
		}
		return ""
	case "retention":
		if q.Qualifier == "" {
			return ""
		}
	}
	return q.Key()
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// statement is one note's value of an attribute, for findConflicts.
type statement struct {
	value   float64
	display string
	source  Source
	words   []string
}

func findConflicts(facts []NoteFact, k *Knowledge) []Conflict {
	byKey := map[[2]string][]statement{}
	var keys [][2]string
	for _, f := range facts {
		if derived(f.Text) {
			continue
		}
		for _, q := range f.Quantities {
			if !comparableAttrs[q.Attribute] {
				continue
			}
			ck := conflictKey(q, f.Label+" "+f.Text)
			if ck == "" {
				continue
			}
			key := [2]string{f.Entity, ck}
			if _, ok := byKey[key]; !ok {
				keys = append(keys, key)
			}
			words := f.words
			if words == nil {
				words, _ = factWords(f.Text)
			}
			byKey[key] = append(byKey[key], statement{q.Value, q.Display(), f.Source, subjectWords(words)})
		}
	}
	var out []Conflict
	for _, key := range keys {
		sts := byKey[key]
		retention := strings.HasPrefix(key[1], "retention")
		if retention {
			// Only for retention: a note's sizes and throughputs of one
			// key can be of different things (a record, a GetRecords
			// call), which the largest would hide.
			sts = extremes(sts, key[1])
		}
		// Two statements disagree only if they are in different notes and
		// say different values of the same thing: for sizes and
		// throughputs their wording must be alike too, so that "an item
		// up to 1 KB" in a capacity example never contradicts "the
		// maximum item size is 400 KB".
		disagree := disagreements(sts, retention)
		values := map[string]*ConflictValue{}
		order := map[string]float64{}
		for i, st := range sts {
			if !disagree[i] {
				continue
			}
			v, ok := values[st.display]
			if !ok {
				v = &ConflictValue{Value: st.display}
				values[st.display] = v
				order[st.display] = st.value
			}
			v.Sources = append(v.Sources, st.source)
		}
		if len(values) < 2 {
			continue
		}
		c := Conflict{Entity: key[0], Attribute: key[1]}
		for _, v := range values {
			slices.SortFunc(v.Sources, func(a, b Source) int { return cmp.Or(cmp.Compare(a.Note, b.Note), cmp.Compare(a.Line, b.Line)) })
			v.Sources = slices.Compact(v.Sources)
			c.Values = append(c.Values, *v)
		}
		slices.SortFunc(c.Values, func(a, b ConflictValue) int { return cmp.Compare(order[a.Value], order[b.Value]) })
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Conflict) int {
		return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Attribute, b.Attribute))
	})
	return out
}

// extremes keeps, of each note's statements of a maximum, those of the
// largest value it states, and of a minimum those of the smallest: a note
// that gives a retention of "24 hours to 365 days", then "extended
// retention to 7 days" and "long-term retention to 365 days", states a
// maximum of 365 days and a tier below it, which no other note contradicts.
func extremes(sts []statement, key string) []statement {
	var beyond func(a, b float64) bool
	switch {
	case strings.HasSuffix(key, "(max)"):
		beyond = func(a, b float64) bool { return a > b }
	case strings.HasSuffix(key, "(min)"):
		beyond = func(a, b float64) bool { return a < b }
	default:
		return sts
	}
	best := map[string]float64{}
	for _, st := range sts {
		if v, ok := best[st.source.Note]; !ok || beyond(st.value, v) {
			best[st.source.Note] = st.value
		}
	}
	var out []statement
	for _, st := range sts {
		if st.value == best[st.source.Note] {
			out = append(out, st)
		}
	}
	return out
}

// derived reports whether a statement works a figure out from others
// ("20 consumers will get 40 MB/s aggregated", "2 * 10 = 20 WCU"): such a
// figure is an example, not a limit that notes could disagree on.
func derived(text string) bool {
	lower := strings.ToLower(text)
	return containsAny(lower, "that means", "that mean", "aggregat", "in total", "example", " = ", "=>", "we need")
}

// unitWords say how much, not of what: two statements that share only
// these are not about the same thing.
var unitWords = map[string]bool{
	"mb": true, "kb": true, "gb": true, "tb": true, "pb": true, "s": true, "ms": true, "record": true,
	"day": true, "hour": true, "minute": true, "min": true, "year": true, "max": true, "maximum": true,
}

// subjectWords keeps the words of a statement that say what it is about:
// no numbers, no units.
// alikeWording is the similarity of wording above which two statements
// of sizes or throughputs speak of the same thing.
const alikeWording = 0.35

// disagreements reports which statements disagree with another: one of
// another note that says another value of the same thing, in words alike
// (alikeWording) unless retention. It is the pairwise comparison of every
// two statements, done class by class: statements of the same value in
// the same words are one class, as a busy entity's thousands of
// statements are of a few values, told a few ways. Pair by pair, the one
// entity with 31,000 facts of a 10,000-note site took 0.3 s.
func disagreements(sts []statement, retention bool) []bool {
	type class struct {
		display string
		words   []string
		members []int // indexes in sts, in order
		note    string
		multi   bool  // members from more than one note; else all of note
		open    []int // members not yet found to disagree
	}
	var classes []*class
	byKey := map[string]*class{}
	for i, st := range sts {
		key := st.display + "\x00" + strings.Join(st.words, "\x00")
		c := byKey[key]
		if c == nil {
			c = &class{display: st.display, words: st.words, note: st.source.Note}
			byKey[key] = c
			classes = append(classes, c)
		}
		c.members = append(c.members, i)
		c.multi = c.multi || st.source.Note != c.note
	}
	for _, c := range classes {
		c.open = slices.Clone(c.members)
	}
	disagree := make([]bool, len(sts))
	// markVia marks the open members of a that disagree with a member of
	// b, whose words are alike: all of them when b's members are of
	// several notes, else those of another note than b's.
	markVia := func(a, b *class) {
		kept := a.open[:0]
		for _, i := range a.open {
			if b.multi || sts[i].source.Note != b.note {
				disagree[i] = true
			} else {
				kept = append(kept, i)
			}
		}
		a.open = kept
	}
	reopen := func(c *class) {
		kept := c.open[:0]
		for _, i := range c.open {
			if !disagree[i] {
				kept = append(kept, i)
			}
		}
		c.open = kept
	}
	for x, a := range classes {
		for _, b := range classes[x+1:] {
			if a.display == b.display || len(a.open) == 0 && len(b.open) == 0 {
				continue
			}
			if retention {
				markVia(a, b)
				markVia(b, a)
				continue
			}
			// Words are compared in the order the statements come, the
			// earlier first, as greedy matching may differ the other way.
			ab, _ := similarity(a.words, b.words)
			ba, _ := similarity(b.words, a.words)
			switch {
			case ab >= alikeWording && ba >= alikeWording:
				markVia(a, b)
				markVia(b, a)
			case ab >= alikeWording || ba >= alikeWording:
				for _, i := range a.members {
					for _, j := range b.members {
						if sts[i].source.Note == sts[j].source.Note {
							continue
						}
						if i < j && ab >= alikeWording || i > j && ba >= alikeWording {
							disagree[i], disagree[j] = true, true
						}
					}
				}
				reopen(a)
				reopen(b)
			}
		}
	}
	return disagree
}

func subjectWords(words []string) []string {
	var out []string
	for _, w := range words {
		if w != "" && (w[0] < '0' || w[0] > '9') && !unitWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
