package graph

import (
	"encoding/json"
	"maps"
	"runtime"
	"slices"
	"testing"
)

// mergerNotes are notes with something of every part of a graph: facts
// that merge across notes and conflict, an explicit comparison, a table,
// alternatives and edges.
var mergerNotes = map[string]string{
	"n-a": "# Kinesis Data Streams\n\n* Producer\n  * 1 MB/s or 1000 messages/s at write PER SHARD\n* Data retention is 24 hours by default, can go up to 365 days\n",
	"n-b": "# Kinesis Streams\n\n## Limits\n- Producer\n  - 1MB/s or 1000 messages/s at write per **shard**\n- Data Retention\n  - Up to 7 days\n",
	"n-c": "# Collection\n\n## Kinesis Data Stream vs Fireshose\n\n* Streams :\n  * Real time 200 ms\n  * Data retention up to 365 days\n* fireshose\n  * near real time\n  * No data storage\n\n## SQS vs Kinesis Data Streams\n\n* SQS\n  * Messages are deleted after they are read\n  * Retention up to 14 days\n* Kinesis Data Streams\n  * Replay of data is possible\n",
	"n-d": "# SQS\n\n- SQS is an alternative to Kinesis Data Streams for decoupling\n- SQS retention is 4 days by default\n- Messages up to 256 KB\n\n| | SQS | Kinesis Data Streams |\n|---|---|---|\n| Ordering | FIFO queues | per shard |\n| Retention | 14 days | 365 days |\n",
	"n-e": "# Redshift\n\nRedshift loads data from S3 with COPY.\nFirehose delivers to Redshift through S3.\n",
}

func mergerExtracts(t *testing.T, k *Knowledge, texts map[string]string, ids ...string) []*NoteExtract {
	t.Helper()
	var out []*NoteExtract
	for _, id := range ids {
		out = append(out, extractNote(t, id, texts[id], k))
	}
	return out
}

func graphJSON(t *testing.T, g *Graph) string {
	t.Helper()
	data, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestMergerIncremental merges again and again as notes change, come, go
// and move, and checks that each graph is the one Merge makes afresh, and
// what the Delta says changed.
func TestMergerIncremental(t *testing.T) {
	k := testKnowledge()
	texts := maps.Clone(mergerNotes)
	byID := map[string]*NoteExtract{}
	for _, x := range mergerExtracts(t, k, texts, slices.Sorted(maps.Keys(texts))...) {
		byID[x.Note.ID] = x
	}
	order := slices.Sorted(maps.Keys(byID))
	list := func() []*NoteExtract {
		var out []*NoteExtract
		for _, id := range order {
			out = append(out, byID[id])
		}
		return out
	}
	set := func(id, text string) {
		texts[id] = text
		byID[id] = extractNote(t, id, text, k)
	}
	var m Merger
	steps := []struct {
		name   string
		change func()
		notes  []string // the Delta's notes; nil: From is nil
		same   []string // parts of the graph that must be those of the last one
	}{
		{"first", func() {}, nil, nil},
		{"nothing", func() {}, []string{}, []string{"notes", "sections", "mentions", "facts", "edges"}},
		{"same text, new extract", func() { set("n-e", texts["n-e"]) }, []string{"n-e"},
			[]string{"notes", "sections", "mentions", "facts", "edges"}},
		{"a fact changes", func() {
			set("n-b", "# Kinesis Streams\n\n## Limits\n- Producer\n  - 1MB/s or 1000 messages/s at write per **shard**\n- Data Retention\n  - Up to 14 days\n")
		}, []string{"n-b"}, []string{"notes", "sections", "mentions"}},
		// Prose after the facts: the facts keep their keys (sameFacts),
		// and the graph must still be Merge's.
		{"prose added", func() { set("n-b", texts["n-b"]+"\nA line of prose, and no fact.\n") }, []string{"n-b"}, nil},
		// A line before them: every fact's line moves.
		{"a line above", func() { set("n-b", "\n"+texts["n-b"]) }, []string{"n-b"}, nil},
		{"a comparison changes", func() {
			set("n-c", texts["n-c"]+"* Kinesis Data Streams\n  * Ordering per shard\n")
		}, []string{"n-c"}, nil},
		{"an alternative goes", func() {
			set("n-d", "# SQS\n\n- SQS retention is 4 days by default\n- Messages up to 256 KB\n")
		}, []string{"n-d"}, nil},
		{"a note goes", func() { order = slices.DeleteFunc(order, func(id string) bool { return id == "n-a" }) },
			[]string{"n-a"}, nil},
		{"a note comes", func() {
			set("n-f", "# Firehose\n\n- Firehose buffers up to 128 MB\n- Firehose is an alternative to Kinesis Data Streams\n")
			order = append(order, "n-f")
		}, []string{"n-f"}, nil},
		{"the note comes back", func() { order = append([]string{"n-a"}, order...) }, []string{"n-a"}, nil},
		{"notes in another order", func() { order[0], order[1] = order[1], order[0] }, nil, nil},
		// Twice, the note's comparison groups are two notes' groups.
		{"an extract twice", func() { order = append(order, "n-c") }, []string{"n-c"}, nil},
		{"and once again", func() { order = order[:len(order)-1] }, []string{"n-c"}, nil},
		{"every note changes", func() {
			for _, id := range order {
				set(id, texts[id]+"\n- Kinesis Data Streams is an alternative to SQS\n")
			}
		}, []string{"*"}, nil},
	}
	var last *Graph
	for _, st := range steps {
		st.change()
		got := m.Merge(list(), k)
		want := Merge(list(), k)
		if g, w := graphJSON(t, got), graphJSON(t, want); g != w {
			t.Errorf("%s: the Merger's graph differs from Merge's:\n%s\nwant\n%s", st.name, g, w)
		}
		d := m.Delta()
		if st.notes == nil {
			if d.From != nil {
				t.Errorf("%s: Delta from a graph, want none", st.name)
			}
		} else {
			if d.From != last {
				t.Errorf("%s: Delta not from the last graph", st.name)
			}
			wantNotes := st.notes
			if slices.Equal(wantNotes, []string{"*"}) {
				wantNotes = order
			}
			if got := slices.Sorted(maps.Keys(d.Notes)); !slices.Equal(got, slices.Sorted(slices.Values(wantNotes))) {
				t.Errorf("%s: Delta notes %v, want %v", st.name, got, wantNotes)
			}
			// Entities outside the Delta keep their facts and conflicts.
			for _, e := range k.Entities {
				if d.Entities[e.ID] {
					continue
				}
				if !slices.EqualFunc(factsOf(last, e.ID), factsOf(got, e.ID), func(a, b Fact) bool { return graphJSONOf(a) == graphJSONOf(b) }) {
					t.Errorf("%s: facts of %s changed, but it is not in the Delta %v", st.name, e.ID, d.Entities)
				}
			}
		}
		sameParts := map[string]bool{}
		if last != nil {
			sameParts["notes"] = len(got.Notes) > 0 && &got.Notes[0] == &last.Notes[0]
			sameParts["sections"] = len(got.Sections) > 0 && &got.Sections[0] == &last.Sections[0]
			sameParts["mentions"] = got.MentionCount() > 0 && SameMentions(got, last)
			sameParts["facts"] = len(got.Facts) > 0 && &got.Facts[0] == &last.Facts[0]
			sameParts["edges"] = len(got.Edges) > 0 && &got.Edges[0] == &last.Edges[0]
		}
		for _, p := range st.same {
			if !sameParts[p] {
				t.Errorf("%s: %s made again, want those of the last graph", st.name, p)
			}
		}
		t.Logf("%s: %d facts, %d conflicts, %d comparisons, %d edges; Delta entities %v", st.name, len(got.Facts), len(got.Conflicts),
			len(got.Comparisons), len(got.Edges), slices.Sorted(maps.Keys(d.Entities)))
		last = got
	}
}

func factsOf(g *Graph, entity string) []Fact {
	var out []Fact
	for _, f := range g.Facts {
		if f.Entity == entity {
			out = append(out, f)
		}
	}
	return out
}

func graphJSONOf(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

// TestMergerNewKnowledge checks that a Merger given another catalog
// merges everything again.
func TestMergerNewKnowledge(t *testing.T) {
	k := testKnowledge()
	xs := mergerExtracts(t, k, mergerNotes, "n-a", "n-c", "n-d")
	var m Merger
	m.Merge(xs, k)
	k2 := testKnowledge()
	got := m.Merge(xs, k2)
	if d := m.Delta(); d.From != nil {
		t.Error("Delta from the graph of another catalog")
	}
	if g, w := graphJSON(t, got), graphJSON(t, Merge(xs, k2)); g != w {
		t.Errorf("graph differs from Merge's:\n%s\nwant\n%s", g, w)
	}
}

// TestMergerLetsGo checks that a Merger does not keep the graph of the
// merge before the last alive: at 10,000 notes a graph is a hundred
// megabytes, and only a renderer that still has it needs it.
func TestMergerLetsGo(t *testing.T) {
	k := testKnowledge()
	var m Merger
	m.Merge(mergerExtracts(t, k, mergerNotes, "n-a", "n-b"), k)
	m.Merge(mergerExtracts(t, k, mergerNotes, "n-a", "n-c"), k)
	runtime.GC()
	if m.Delta().From != nil {
		t.Error("the graph before the last is still alive")
	}
}
