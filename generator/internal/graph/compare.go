package graph

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/resolve"
)

// attributeWords are the comparison rows gen knows, with the words that
// put a statement in each. The order is the order of the rows.
var attributeWords = []struct {
	attr  string
	words []string
}{
	{"latency", []string{"latency", "real time", "real-time", "realtime", "near real", " ms", "ms)"}},
	{"retention", []string{"retention", "storage for", "stored for", "data storage", "no data storage", "deleted after", "storegae", "rettion"}},
	{"replay", []string{"replay", "reprocess", "consumed many times", "consume man"}},
	{"ordering", []string{"order"}},
	{"delivery", []string{"exactly once", "at least once", "at-least-once", "duplicate", "de-duplication", "delivery"}},
	{"scaling", []string{"scal", "shard", "partition", "provision", "capacity", "instances"}},
	{"record size", []string{"message size", "record size", "mb message", "1mb default", "size limit", "mesage size"}},
	{"throughput", []string{"throughput", "mb/s", "per second"}},
	{"consumers", []string{"consum", "application", "pub/sub", "subscribe", "reading"}},
	{"management", []string{"managed", "custom code", "serverless", "administration", "manage", "write your own"}},
	{"transformation", []string{"transform", "lambda", "conversion"}},
	{"security", []string{"encrypt", "tls", "kms", "iam", "authn", "authz", "security"}},
	{"integrations", []string{"integration", "send to", "load", "tooling", "third party", "3rd party"}},
}

// attributeMatcher is an Aho–Corasick automaton of the words of
// attributeWords: classify reads a statement once, byte by byte, however
// many words there are.
type attributeMatcher struct {
	next [][256]int32 // the state after each state and byte
	row  []int        // the first row a word ending in each state names; len(attributeWords) for none
}

// attributes is the automaton of attributeWords, made on first use like a
// compiled regular expression: 490 KB that a command reading no facts
// need not make at its start.
var attributes = sync.OnceValue(newAttributeMatcher)

func newAttributeMatcher() *attributeMatcher {
	none := len(attributeWords)
	m := &attributeMatcher{next: make([][256]int32, 1), row: []int{none}}
	for r, aw := range attributeWords {
		for _, w := range aw.words {
			st := int32(0)
			for i := 0; i < len(w); i++ {
				if m.next[st][w[i]] == 0 {
					m.next = append(m.next, [256]int32{})
					m.row = append(m.row, none)
					m.next[st][w[i]] = int32(len(m.next) - 1)
				}
				st = m.next[st][w[i]]
			}
			m.row[st] = min(m.row[st], r)
		}
	}
	// Breadth first, each state's missing moves become those of its
	// longest proper suffix that is a state (its fail state), and its row
	// the first of its own and its fail state's.
	fail := make([]int32, len(m.next))
	var queue []int32
	for b := range 256 {
		if s := m.next[0][b]; s != 0 {
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		m.row[st] = min(m.row[st], m.row[fail[st]])
		for b := range 256 {
			if s := m.next[st][b]; s != 0 {
				fail[s] = m.next[fail[st]][b]
				queue = append(queue, s)
			} else {
				m.next[st][b] = m.next[fail[st]][b]
			}
		}
	}
	return m
}

// classify returns the comparison row a statement belongs to, or "": the
// first row of attributeWords with a word in the statement, lowercased
// and between spaces. Searching the statement for each of 68 words was
// 100 ms of CPU of every start at 10,000 notes, which tells the rows of
// every service's facts for the tables built from them.
func classify(text string) string {
	m := attributes()
	best := len(attributeWords)
	step := func(st int32, c byte) int32 {
		st = m.next[st][c]
		best = min(best, m.row[st])
		return st
	}
	st := step(0, ' ')
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(text); i++ {
			c := text[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			st = step(st, c)
		}
	} else {
		lower := strings.ToLower(text)
		for i := 0; i < len(lower); i++ {
			st = step(st, lower[i])
		}
	}
	step(st, ' ')
	if best == len(attributeWords) {
		return ""
	}
	return attributeWords[best].attr
}

func attrOrder(attr string) int {
	for i, a := range attributeWords {
		if a.attr == attr {
			return i
		}
	}
	return len(attributeWords)
}

// explicitComparisons makes a comparison of each "X vs Y" section or
// bullet, from the facts grouped under it (NoteFact.Group); groups
// describes each group, by id. Groups are in the order their facts come.
func explicitComparisons(facts []NoteFact, groups map[string]CompareGroup) []Comparison {
	var out []Comparison
	byGroup := map[string][]NoteFact{}
	var order []string
	for _, f := range facts {
		if f.Group == "" {
			continue
		}
		if _, ok := byGroup[f.Group]; !ok {
			order = append(order, f.Group)
		}
		byGroup[f.Group] = append(byGroup[f.Group], f)
	}
	for _, gid := range order {
		gi := groups[gid]
		c := Comparison{Kind: "explicit", Title: gi.Title, Sources: []Source{gi.Source}}
		rows := map[string]*ComparisonRow{}
		for _, f := range byGroup[gid] {
			c.Entities = appendUnique(c.Entities, f.Entity)
			attr := cmp.Or(classify(f.Label+" "+f.Text), "other")
			r, ok := rows[attr]
			if !ok {
				r = &ComparisonRow{Attribute: attr, Cells: map[string]string{}, Sources: map[string][]Source{}}
				rows[attr] = r
			}
			if prev := r.Cells[f.Entity]; prev != "" {
				r.Cells[f.Entity] = prev + "; " + tidy(f.Text)
			} else {
				r.Cells[f.Entity] = tidy(f.Text)
			}
			r.Sources[f.Entity] = append(r.Sources[f.Entity], f.Source)
		}
		if len(c.Entities) < 2 {
			continue
		}
		c.Rows = sortedRows(rows)
		out = append(out, c)
	}
	return out
}

// groupsOf returns the groups of the extracts by id; a later one of an id
// wins.
func groupsOf(extracts []*NoteExtract) map[string]CompareGroup {
	groups := map[string]CompareGroup{}
	for _, x := range extracts {
		if x == nil {
			continue
		}
		for _, g := range x.Groups {
			groups[g.ID] = g
		}
	}
	return groups
}

// assembleComparisons collects the comparisons: the explicit ones of the
// notes (explicitComparisons), their tables, and tables built from the
// facts of each set of alternatives and of each family. built makes the
// tables of sets of entities from their merged facts (builtComparison),
// all at once, so that a Merger can make them on every core and keep the
// tables of sets whose facts are unchanged; ok[i] says whether sets[i]
// has one. The comparisons given are copied, not changed.
func assembleComparisons(explicit, tables []Comparison, built func(sets [][]string) (cs []Comparison, ok []bool), k *Knowledge) []Comparison {
	out := make([]Comparison, 0, len(explicit)+len(tables))
	out = append(out, explicit...)
	out = append(out, tables...)

	// Built: for each set of entities that notes compare with each other
	// (joined through shared comparisons), a table from their facts; then
	// for each family, its members side by side.
	sets := alternativeSets(out)
	alternatives := len(sets)
	fams := map[string][]string{}
	for _, e := range k.Entities {
		// Concepts (shards, capacity units) are not alternatives to the
		// services of their family.
		if e.Parent != "" && e.Kind != "category" && e.Kind != "concept" {
			fams[e.Parent] = append(fams[e.Parent], e.ID)
		}
	}
	famIDs := slices.Sorted(maps.Keys(fams))
	for _, p := range famIDs {
		sets = append(sets, fams[p])
	}
	cs, ok := built(sets)
	for i, c := range cs {
		if !ok[i] {
			continue
		}
		if i >= alternatives {
			if pe := k.Entity(famIDs[i-alternatives]); pe != nil {
				c.Title = pe.Name + " family"
			}
		}
		out = append(out, c)
	}

	// Ids: entity ids joined with "-vs-", made unique.
	seen := map[string]int{}
	for i := range out {
		id := strings.Join(out[i].Entities, "-vs-")
		if out[i].Kind == "built" {
			id = "built-" + id
		}
		if n := seen[id]; n > 0 {
			out[i].ID = id + "-" + strconv.Itoa(n+1)
		} else {
			out[i].ID = id
		}
		seen[id]++
		if out[i].Title == "" {
			out[i].Title = strings.Join(namesOf(out[i].Entities, k), " vs ")
		}
	}
	return out
}

func sortedRows(rows map[string]*ComparisonRow) []ComparisonRow {
	var out []ComparisonRow
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ComparisonRow) int {
		return cmp.Or(cmp.Compare(attrOrder(a.Attribute), attrOrder(b.Attribute)), cmp.Compare(a.Attribute, b.Attribute))
	})
	return out
}

func namesOf(ids []string, k *Knowledge) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if e := k.Entity(id); e != nil {
			out[i] = e.Name
		} else {
			out[i] = id
		}
	}
	return out
}

// alternativeSets joins entities that explicit comparisons put side by
// side into sets of three or more alternatives.
func alternativeSets(cs []Comparison) [][]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	for _, c := range cs {
		if c.Kind != "explicit" {
			continue
		}
		for _, e := range c.Entities[1:] {
			parent[find(e)] = find(c.Entities[0])
		}
	}
	sets := map[string][]string{}
	for x := range parent {
		r := find(x)
		sets[r] = append(sets[r], x)
	}
	var out [][]string
	for _, s := range sets {
		if len(s) >= 3 {
			slices.Sort(s)
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return cmp.Compare(strings.Join(a, ","), strings.Join(b, ",")) })
	return out
}

// builtComparison makes a table of entities from their merged facts: for
// each attribute, the best-supported facts of each entity.
func builtComparison(ids []string, facts []Fact, k *Knowledge) (Comparison, bool) {
	c := Comparison{Kind: "built", Entities: slices.Clone(ids)}
	rows := map[string]*ComparisonRow{}
	have := map[string]bool{}
	for _, f := range facts {
		if !slices.Contains(ids, f.Entity) {
			continue
		}
		attr := classify(f.Text)
		if attr == "" || attr == "integrations" || attr == "security" {
			continue
		}
		r, ok := rows[attr]
		if !ok {
			r = &ComparisonRow{Attribute: attr, Cells: map[string]string{}, Sources: map[string][]Source{}}
			rows[attr] = r
		}
		// Facts are sorted most-agreed first: keep the first two.
		if n := len(r.Sources[f.Entity]); n > 0 && strings.Count(r.Cells[f.Entity], "; ") >= 1 {
			continue
		}
		if prev := r.Cells[f.Entity]; prev != "" {
			r.Cells[f.Entity] = prev + "; " + f.Text
		} else {
			r.Cells[f.Entity] = f.Text
		}
		r.Sources[f.Entity] = append(r.Sources[f.Entity], f.Sources...)
		have[f.Entity] = true
	}
	// Keep rows that compare: at least two entities have something to say.
	for a, r := range rows {
		if len(r.Cells) < 2 {
			delete(rows, a)
		}
	}
	if len(rows) < 2 || len(have) < 2 {
		return c, false
	}
	// Only the entities that appear in some row remain.
	var ents []string
	for _, id := range ids {
		for _, r := range rows {
			if _, ok := r.Cells[id]; ok {
				ents = append(ents, id)
				break
			}
		}
	}
	c.Entities = ents
	c.Rows = sortedRows(rows)
	srcs := map[Source]bool{}
	for _, r := range c.Rows {
		for _, ss := range r.Sources {
			for _, s := range ss {
				srcs[Source{Note: s.Note, Line: s.Line}] = true
			}
		}
	}
	for s := range srcs {
		c.Sources = append(c.Sources, s)
	}
	slices.SortFunc(c.Sources, func(a, b Source) int { return cmp.Or(cmp.Compare(a.Note, b.Note), cmp.Compare(a.Line, b.Line)) })
	return c, true
}

// edgeKey is an edge without its weight: from, to and kind.
type edgeKey [3]string

// addEdge adds n to the weight of an edge, which it makes if need be; an
// edge must join two entities.
func addEdge(w map[edgeKey]int, from, to, kind string, n int) {
	if from == "" || to == "" || from == to {
		return
	}
	w[edgeKey{from, to, kind}] += n
}

// catalogEdges adds the edges the catalog says: part-of and category.
func catalogEdges(w map[edgeKey]int, k *Knowledge) {
	for _, e := range k.Entities {
		if e.Parent != "" {
			addEdge(w, e.ID, e.Parent, "part-of", 1)
		}
		if e.Category != "" && e.Kind != "category" {
			addEdge(w, e.ID, e.Category, "category", 1)
		}
	}
}

// comparisonEdges adds a compares edge between each two entities of a
// comparison that notes make (built tables aside).
func comparisonEdges(w map[edgeKey]int, cs []Comparison) {
	for _, c := range cs {
		if c.Kind == "built" {
			continue
		}
		n := max(1, len(c.Sources))
		for i, a := range c.Entities {
			for _, b := range c.Entities[i+1:] {
				x, y := a, b
				if y < x {
					x, y = y, x
				}
				addEdge(w, x, y, "compares", n)
			}
		}
	}
}

// alternativeEdges adds the alternative-to edges of facts that name an
// alternative ("an alternative to X", "replaces X", "instead of X").
func alternativeEdges(w map[edgeKey]int, facts []Fact, k *Knowledge) {
	for _, f := range facts {
		lower := strings.ToLower(f.Text)
		if !strings.Contains(lower, "alternative") && !strings.Contains(lower, "replaces") && !strings.Contains(lower, "instead of") {
			continue
		}
		for _, m := range k.Resolver.Find(f.Text, resolve.Context{Entities: []string{f.Entity}}) {
			addEdge(w, f.Entity, m.Entity, "alternative-to", len(f.Sources))
		}
	}
}

// sortedEdges returns the edges of w by kind, from and to.
func sortedEdges(w map[edgeKey]int) []Edge {
	out := make([]Edge, 0, len(w))
	for key, n := range w {
		out = append(out, Edge{From: key[0], To: key[1], Kind: key[2], Weight: n})
	}
	slices.SortFunc(out, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return out
}
