// Package graph is what gen understands of the notes: the entities they
// discuss, every section and mention resolved to an entity, the facts
// merged across notes with every source, the conflicts between notes, the
// comparisons and the typed edges between entities.
//
// It is built in two steps so that a live preview can rebuild cheaply:
// Extract reads one note and depends on that note and the catalog alone
// (its result can be cached by the note's content hash); Merge combines the
// extracts of every note and is cheap. The JSON form of Graph is the public
// contract of `gen graph` (see graph-schema.md): fields are only ever
// added, and Version goes up when one changes meaning.
package graph

import (
	"encoding/json"
	"iter"
)

// Version is the version of the JSON form of Graph.
const Version = 1

// Graph is the whole knowledge graph of a site.
type Graph struct {
	Version     int          `json:"version"`
	Notes       []Note       `json:"notes"`
	Entities    []Entity     `json:"entities"`
	Sections    []Section    `json:"sections"`
	Mentions    []Mention    `json:"mentions"`
	Facts       []Fact       `json:"facts"`
	Conflicts   []Conflict   `json:"conflicts"`
	Comparisons []Comparison `json:"comparisons"`
	Edges       []Edge       `json:"edges"`
	// NoteMentions holds the mentions of each note of Notes, in order,
	// as the notes' extracts hold them. A Merger's graphs have this and
	// leave Mentions nil, as copying every mention of a large site cost
	// most of an edit, and 63 MB at 10,000 notes; a graph made by hand
	// may have Mentions alone. EachMention reads whichever there is, and
	// the JSON form always has them all in "mentions".
	NoteMentions [][]Mention `json:"-"`
}

// EachMention yields every mention in order, by note: from NoteMentions
// when it is set, else from Mentions.
func (g *Graph) EachMention() iter.Seq[*Mention] {
	return func(yield func(*Mention) bool) {
		if g.NoteMentions == nil {
			for i := range g.Mentions {
				if !yield(&g.Mentions[i]) {
					return
				}
			}
			return
		}
		for _, ms := range g.NoteMentions {
			for i := range ms {
				if !yield(&ms[i]) {
					return
				}
			}
		}
	}
}

// MentionCount is the number of mentions EachMention yields.
func (g *Graph) MentionCount() int {
	if g.NoteMentions == nil {
		return len(g.Mentions)
	}
	n := 0
	for _, ms := range g.NoteMentions {
		n += len(ms)
	}
	return n
}

// SameMentions reports whether a and b hold the same mentions in the same
// memory, note by note: whether a Merger kept b's mentions for a.
func SameMentions(a, b *Graph) bool {
	if a.NoteMentions == nil || b.NoteMentions == nil {
		return sameSlice(a.Mentions, b.Mentions) && a.NoteMentions == nil && b.NoteMentions == nil
	}
	if len(a.NoteMentions) != len(b.NoteMentions) {
		return false
	}
	for i := range a.NoteMentions {
		if !sameSlice(a.NoteMentions[i], b.NoteMentions[i]) {
			return false
		}
	}
	return true
}

func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// MarshalJSON writes the graph in its JSON form, with every mention in
// "mentions" however the graph holds them.
func (g Graph) MarshalJSON() ([]byte, error) {
	type plain Graph
	if g.Mentions == nil && g.NoteMentions != nil {
		g.Mentions = make([]Mention, 0, g.MentionCount())
		for m := range g.EachMention() {
			g.Mentions = append(g.Mentions, *m)
		}
	}
	g.Mentions = orEmpty(g.Mentions)
	return json.Marshal(plain(g))
}

// Note is one raw note.
type Note struct {
	ID     string `json:"id"`
	Path   string `json:"path"`
	Title  string `json:"title"`
	Format string `json:"format"`
	Lines  int    `json:"lines"`
}

// Entity is a thing the notes are about.
type Entity struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"` // service, system, concept or category
	Category string   `json:"category,omitempty"`
	Parent   string   `json:"parent,omitempty"`
	Aliases  []string `json:"aliases,omitempty"`
	Formerly []string `json:"formerly,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Docs     string   `json:"docs,omitempty"`
}

// Section is one heading of a note and the text under it.
type Section struct {
	Note       string   `json:"note"`
	Line       int      `json:"line"`
	Level      int      `json:"level"`
	Heading    string   `json:"heading"` // as the raw note wrote it
	Entity     *string  `json:"entity"`  // the one entity the section is about, or null
	Entities   []string `json:"entities"`
	Context    string   `json:"context,omitempty"` // whose page the section's facts go to
	Topic      string   `json:"topic,omitempty"`
	Annotation string   `json:"annotation,omitempty"`
	Parent     int      `json:"-"` // index of the enclosing section in the note's sections, or -1
}

// Mention is one place where a note names an entity.
type Mention struct {
	Note   string  `json:"note"`
	Line   int     `json:"line"`
	Text   string  `json:"text"`
	Entity string  `json:"entity"`
	How    string  `json:"how,omitempty"`   // exact, word-order, abbreviation, context, fuzzy
	Score  float64 `json:"score,omitempty"` // 1 for an exact name
	// Context is the entity of the section the mention is in, if any.
	Context string `json:"context,omitempty"`
	// Sentence is the sentence or bullet the mention is in, for backlinks.
	Sentence string `json:"-"`
}

// Source is one place a fact or a cell comes from.
type Source struct {
	Note string `json:"note"`
	Line int    `json:"line"`
	Text string `json:"text,omitempty"` // the original wording
}

// Fact is one statement about an entity, merged across notes.
type Fact struct {
	ID      string   `json:"id"`
	Entity  string   `json:"entity"`
	Topic   string   `json:"topic"`
	Text    string   `json:"text"`
	Label   string   `json:"label,omitempty"` // the bullet or heading it sits under, such as "Producer"
	Sources []Source `json:"sources"`
	// Notes is the number of distinct notes that state the fact.
	Notes int `json:"notes"`
}

// Conflict is one attribute of one entity that notes state differently.
type Conflict struct {
	Entity    string          `json:"entity"`
	Attribute string          `json:"attribute"`
	Values    []ConflictValue `json:"values"`
}

// ConflictValue is one side of a conflict.
type ConflictValue struct {
	Value   string   `json:"value"`
	Sources []Source `json:"sources"`
}

// Comparison is a side-by-side table of entities.
type Comparison struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Kind     string          `json:"kind"` // explicit (a note compares), table (a note's table), built (from facts)
	Entities []string        `json:"entities"`
	Rows     []ComparisonRow `json:"rows"`
	Sources  []Source        `json:"sources"`
}

// ComparisonRow is one attribute of a comparison.
type ComparisonRow struct {
	Attribute string              `json:"attribute"`
	Cells     map[string]string   `json:"cells"`
	Sources   map[string][]Source `json:"sources,omitempty"`
	Conflict  bool                `json:"conflict,omitempty"`
}

// Edge is a typed link between two entities.
type Edge struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Kind   string `json:"kind"` // mentions, compares, source, destination, part-of, alternative-to, category
	Weight int    `json:"weight"`
}
