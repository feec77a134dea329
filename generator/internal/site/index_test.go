package site

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/graph"
)

// TestSpliceRuns checks the runs of changed notes put in an entity's
// mentions against the mentions made afresh, note by note.
func TestSpliceRuns(t *testing.T) {
	// mentions writes "a1 a2 c1" as the mentions of notes a (lines 1, 2)
	// and c (line 1).
	mentions := func(s string) []graph.Mention {
		var out []graph.Mention
		for _, f := range strings.Fields(s) {
			out = append(out, graph.Mention{Note: f[:1], Line: int(f[1] - '0')})
		}
		return out
	}
	pos := map[string]int{"a": 0, "b": 1, "c": 2, "d": 3}
	tests := []struct {
		name, prev string
		now        map[string]string // the changed notes' mentions now
		want       string
	}{
		{"a run changes", "a1 b1 b2 c1", map[string]string{"b": "b3"}, "a1 b3 c1"},
		{"a run goes", "a1 b1 c1", map[string]string{"b": ""}, "a1 c1"},
		{"a run comes", "a1 c1", map[string]string{"b": "b1 b2"}, "a1 b1 b2 c1"},
		{"first and last", "b1 c1", map[string]string{"a": "a1", "d": "d1"}, "a1 b1 c1 d1"},
		{"into nothing", "", map[string]string{"c": "c1"}, "c1"},
		{"all go", "a1 d1", map[string]string{"a": "", "d": ""}, ""},
		{"two at once", "a1 b1 c1 d1", map[string]string{"d": "d2", "a": "a2"}, "a2 b1 c1 d2"},
	}
	for _, tt := range tests {
		var changed []string
		for id := range tt.now {
			changed = append(changed, id)
		}
		slices.Sort(changed)
		got, ok := spliceRuns(mentions(tt.prev), changed, pos, func(id string) []graph.Mention { return mentions(tt.now[id]) })
		if !ok || !slices.Equal(got, mentions(tt.want)) {
			t.Errorf("%s: spliceRuns = %v, %v; want %v", tt.name, got, ok, mentions(tt.want))
		}
	}
	if _, ok := spliceRuns(mentions("a1 x1 c1"), []string{"c"}, pos, func(string) []graph.Mention { return nil }); ok {
		t.Error("spliceRuns took a note without a place")
	}
}

// TestRenderAfterFailedRender renders a graph, fails to render the next
// (a broken template) and renders that one again with the template
// fixed, from the same Delta: the failed render must not leave the index
// it took its maps from for the retry to start from.
func TestRenderAfterFailedRender(t *testing.T) {
	// Each render gets notes of its own: a render decorates their trees.
	p, notes, g := fixture(t)
	fresh := func() []*Note { _, n, _ := fixture(t); return n }
	byNote := func(g *graph.Graph) [][]graph.Mention {
		out := make([][]graph.Mention, len(g.Notes))
		for _, m := range g.Mentions {
			for i, n := range g.Notes {
				if n.ID == m.Note {
					out[i] = append(out[i], m)
				}
			}
		}
		return out
	}
	g.NoteMentions, g.Mentions = byNote(g), nil
	good := Options{Templates: gen.Templates(), Assets: gen.Assets()}
	r := NewRenderer()
	if _, diags, _ := r.Render(p, notes, g, good); diags.HasErrors() {
		t.Fatal(diags)
	}
	// The next graphs: the first note's mentions are its own again, as a
	// Merger gives them after an edit of it. The first of them is made
	// from the index of the first render, the second from that one's.
	next := func(from *graph.Graph) (*graph.Graph, graph.Delta) {
		g2 := *from
		g2.NoteMentions = slices.Clone(from.NoteMentions)
		g2.NoteMentions[0] = slices.Clone(from.NoteMentions[0])
		return &g2, graph.Delta{From: from, Notes: map[string]bool{from.Notes[0].ID: true}, Entities: map[string]bool{}}
	}
	g1, d1 := next(g)
	if _, diags, _ := r.RenderDelta(p, fresh(), g1, d1, good); diags.HasErrors() {
		t.Fatal(diags)
	}
	g2, d := next(g1)
	bad := good
	tmpl := fstest.MapFS{}
	for _, name := range []string{"base.html", "partials.html", "note.html", "home.html", "entity.html", "category.html", "comparison.html", "graph.html", "list.html", "search.html", "topic.html", "404.html"} {
		if data, err := fs.ReadFile(gen.Templates(), name); err == nil {
			tmpl[name] = &fstest.MapFile{Data: data}
		}
	}
	tmpl["base.html"] = &fstest.MapFile{Data: []byte(`{{define "base"}}{{.Nope}`)}
	bad.Templates = tmpl
	if _, diags, _ := r.RenderDelta(p, fresh(), g2, d, bad); !diags.HasErrors() {
		t.Fatal("a broken template rendered")
	}
	files, diags, _ := r.RenderDelta(p, fresh(), g2, d, good)
	want, wdiags, _ := NewRenderer().Render(p, fresh(), g2, good)
	if diags.HasErrors() || wdiags.HasErrors() {
		t.Fatal(diags, wdiags)
	}
	got := map[string]string{}
	for _, f := range files {
		got[f.Path] = string(f.Data)
	}
	for _, f := range want {
		if got[f.Path] != string(f.Data) {
			t.Errorf("%s differs from a first render's", f.Path)
		}
	}
	if len(files) != len(want) {
		t.Errorf("%d files, a first render makes %d", len(files), len(want))
	}
}

// TestMentionKeysByNote makes the mention keys of a first render note by
// note and entity by entity: the two must agree, as an edit's render
// takes its notes' old steps out of the keys of the one and puts their
// new ones in.
func TestMentionKeysByNote(t *testing.T) {
	p, notes, g := fixture(t)
	r := NewRenderer()
	if _, diags, _ := r.Render(p, notes, g, Options{Templates: gen.Templates(), Assets: gen.Assets()}); diags.HasErrors() {
		t.Fatal(diags)
	}
	byEntity, byNote := r.mentionKeysByEntity(r.index), r.mentionKeysByNote(r.index)
	if len(byEntity) == 0 {
		t.Fatal("no entity is mentioned")
	}
	if !maps.Equal(byEntity, byNote) || !maps.Equal(byNote, r.mentions) {
		t.Errorf("by entity %v, by note %v, rendered with %v", byEntity, byNote, r.mentions)
	}
	// A note the Renderer has no memo of steps in by its id alone.
	id := g.Notes[0].ID
	delete(r.notes, id)
	byEntity, byNote = r.mentionKeysByEntity(r.index), r.mentionKeysByNote(r.index)
	if !maps.Equal(byEntity, byNote) || maps.Equal(byNote, r.mentions) {
		t.Errorf("without the memo of %s: by entity %v, by note %v", id, byEntity, byNote)
	}
}

// TestEntityMentions copies the mentions of sites of 0 to 200 notes into
// each entity's list, on every core, and checks them against the lists
// made note after note; a list that grows must not write into the next.
func TestEntityMentions(t *testing.T) {
	for _, notes := range []int{0, 1, 3, 7, 200} {
		byNote := make([][]graph.Mention, notes)
		want := map[string][]graph.Mention{}
		for i := range byNote {
			for j := range (i * 7) % 11 {
				m := graph.Mention{Note: fmt.Sprint("n", i), Line: j + 1, Entity: fmt.Sprint("e", (i+j*j)%5)}
				byNote[i] = append(byNote[i], m)
				want[m.Entity] = append(want[m.Entity], m)
			}
		}
		got := entityMentions(byNote)
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%d notes: %v, want %v", notes, got, want)
		}
		for e, ms := range got {
			next := map[string][]graph.Mention{}
			for k, v := range got {
				next[k] = slices.Clone(v)
			}
			_ = append(ms, graph.Mention{Note: "new", Entity: e})
			if !maps.EqualFunc(got, next, slices.Equal) {
				t.Errorf("%d notes: appending to %s's list changed another", notes, e)
			}
		}
	}
}
