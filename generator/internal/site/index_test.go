package site

import (
	"slices"
	"strings"
	"testing"

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
		n := 0
		for id, ms := range tt.now {
			changed = append(changed, id)
			n += len(mentions(ms))
		}
		slices.Sort(changed)
		got, ok := spliceRuns(mentions(tt.prev), changed, pos, func(id string) []graph.Mention { return mentions(tt.now[id]) }, n)
		if !ok || !slices.Equal(got, mentions(tt.want)) {
			t.Errorf("%s: spliceRuns = %v, %v; want %v", tt.name, got, ok, mentions(tt.want))
		}
	}
	if _, ok := spliceRuns(mentions("a1 x1 c1"), []string{"c"}, pos, func(string) []graph.Mention { return nil }, 0); ok {
		t.Error("spliceRuns took a note without a place")
	}
}
