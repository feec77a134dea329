package generator

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateGraph = flag.Bool("update-graph", false, "rewrite testdata/graph-summary.golden")

// TestGraphProvenance checks on the bundled notes that every location in
// the graph names a raw line of its note that holds the quoted text.
func TestGraphProvenance(t *testing.T) {
	res, err := Build(context.Background(), Options{ContentDir: "../content"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	lines := map[string][]string{}
	for _, n := range g.Notes {
		raw, err := os.ReadFile(filepath.Join("../content", n.Path))
		if err != nil {
			t.Fatal(err)
		}
		lines[n.ID] = strings.Split(string(raw), "\n")
	}
	bad := 0
	check := func(what, note string, line int, text string) {
		ls := lines[note]
		if line < 1 || line > len(ls) {
			bad++
			t.Errorf("%s: %s:%d is out of range", what, note, line)
			return
		}
		if text != "" && !strings.Contains(ls[line-1], text) {
			bad++
			if bad < 20 {
				t.Errorf("%s: %s:%d is %q, which does not hold %q", what, note, line, ls[line-1], text)
			}
		}
	}
	for _, s := range g.Sections {
		check("section", s.Note, s.Line, s.Heading)
	}
	for m := range g.EachMention() {
		check("mention", m.Note, m.Line, m.Text)
	}
	for _, f := range g.Facts {
		for _, s := range f.Sources {
			check("fact "+f.ID, s.Note, s.Line, s.Text)
		}
	}
	for _, c := range g.Conflicts {
		for _, v := range c.Values {
			for _, s := range v.Sources {
				check("conflict", s.Note, s.Line, s.Text)
			}
		}
	}
	for _, c := range g.Comparisons {
		for _, s := range c.Sources {
			check("comparison "+c.ID, s.Note, s.Line, s.Text)
		}
		for _, r := range c.Rows {
			for _, ss := range r.Sources {
				for _, s := range ss {
					check("comparison "+c.ID, s.Note, s.Line, s.Text)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d locations do not quote their raw line", bad)
	}
}

// TestGraphSummary keeps a readable summary of the bundled notes' graph
// in a golden file: counts, the most-agreed facts, conflicts and
// comparisons. Run with -update-graph and review the diff.
func TestGraphSummary(t *testing.T) {
	res, err := Build(context.Background(), Options{ContentDir: "../content"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	var b strings.Builder
	resolved := 0
	for _, s := range g.Sections {
		if s.Entity != nil {
			resolved++
		}
	}
	three := 0
	for _, f := range g.Facts {
		if f.Notes >= 3 {
			three++
		}
	}
	fmt.Fprintf(&b, "notes %d\nentities %d\nsections %d (%d with an entity)\nmentions %d\nfacts %d (%d from 3+ notes)\nconflicts %d\ncomparisons %d\n",
		len(g.Notes), len(g.Entities), len(g.Sections), resolved, g.MentionCount(), len(g.Facts), three, len(g.Conflicts), len(g.Comparisons))
	kinds := map[string]int{}
	for _, e := range g.Edges {
		kinds[e.Kind]++
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	for _, k := range ks {
		fmt.Fprintf(&b, "edges %s %d\n", k, kinds[k])
	}
	b.WriteString("\nfacts from 3+ notes:\n")
	for _, f := range g.Facts {
		if f.Notes >= 3 {
			fmt.Fprintf(&b, "  %s [%s] %s (%d notes, %d sources)\n", f.Entity, f.Topic, f.Text, f.Notes, len(f.Sources))
		}
	}
	b.WriteString("\nconflicts:\n")
	for _, c := range g.Conflicts {
		var vs []string
		for _, v := range c.Values {
			vs = append(vs, fmt.Sprintf("%s (%d sources)", v.Value, len(v.Sources)))
		}
		fmt.Fprintf(&b, "  %s %s: %s\n", c.Entity, c.Attribute, strings.Join(vs, " · "))
	}
	b.WriteString("\ncomparisons:\n")
	for _, c := range g.Comparisons {
		var rows []string
		for _, r := range c.Rows {
			rows = append(rows, r.Attribute)
		}
		fmt.Fprintf(&b, "  %s [%s] %s: %s\n", c.ID, c.Kind, strings.Join(c.Entities, ", "), strings.Join(rows, ", "))
	}
	golden := "testdata/graph-summary.golden"
	if *updateGraph {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGraphSummary -update-graph)", err)
	}
	if string(want) != b.String() {
		t.Errorf("graph summary changed; run go test -run TestGraphSummary -update-graph and review the diff.\n got:\n%s", b.String())
	}
}
