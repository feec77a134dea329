package generator

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/graph"
)

// label is one hand-labelled line of testdata/labels: a heading or a
// mention of the bundled notes and the entity it names ("-" for none).
type label struct {
	path   string
	line   int
	entity string
	text   string
}

func readLabels(t *testing.T, file string) []label {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 {
			t.Fatalf("%s: bad line %q", file, line)
		}
		n, err := strconv.Atoi(cols[1])
		if err != nil {
			t.Fatalf("%s: bad line number in %q", file, line)
		}
		out = append(out, label{path: cols[0], line: n, entity: cols[2], text: cols[3]})
	}
	return out
}

// accuracy is how well a graph agrees with the labelled set.
type accuracy struct {
	heads, ments int // labels
	headsRight   int
	mentsRight   int
	misses       []string // one line per wrong label
	// how is, for each mention label, how the mention that matched it was
	// resolved ("exact", "fuzzy", ...), or "" when none did.
	how []string
}

// headings is the share of the heading labels that the graph got right.
func (a accuracy) headings() float64 { return float64(a.headsRight) / float64(a.heads) }

// mentions is the share of the mention labels that the graph got right.
func (a accuracy) mentions() float64 { return float64(a.mentsRight) / float64(a.ments) }

// measureLabels compares g with the labelled headings and mentions. A
// mention label whose index is in entityOnly (its text was rewritten, as
// by a typo) is right when any mention on its line names its entity;
// the others must also match its text.
func measureLabels(g *graph.Graph, heads, ments []label, entityOnly map[int]bool) accuracy {
	notePath := map[string]string{}
	for _, n := range g.Notes {
		notePath[n.ID] = n.Path
	}
	type key struct {
		path string
		line int
	}
	sections := map[key]string{}
	for _, s := range g.Sections {
		e := "-"
		if s.Entity != nil {
			e = *s.Entity
		}
		sections[key{notePath[s.Note], s.Line}] = e
	}
	mentions := map[key][][3]string{}
	for m := range g.EachMention() {
		k := key{notePath[m.Note], m.Line}
		mentions[k] = append(mentions[k], [3]string{strings.ToLower(m.Text), m.Entity, m.How})
	}

	a := accuracy{heads: len(heads), ments: len(ments), how: make([]string, len(ments))}
	for _, l := range heads {
		got, ok := sections[key{l.path, l.line}]
		if ok && got == l.entity {
			a.headsRight++
			continue
		}
		if !ok {
			got = "no section"
		}
		a.misses = append(a.misses, fmt.Sprintf("heading %s:%d %q: got %s, want %s", l.path, l.line, l.text, got, l.entity))
	}

	unmark := strings.NewReplacer("*", "", "_", "", "`", "")
	for i, l := range ments {
		text := unmark.Replace(strings.ToLower(l.text))
		found := ""
		for _, m := range mentions[key{l.path, l.line}] {
			mt := unmark.Replace(m[0])
			if entityOnly[i] || strings.Contains(mt, text) || strings.Contains(text, mt) {
				found, a.how[i] = m[1], m[2]
				if m[1] == l.entity {
					break
				}
			}
		}
		if (l.entity == "-" && found == "") || found == l.entity {
			a.mentsRight++
			continue
		}
		a.misses = append(a.misses, fmt.Sprintf("mention %s:%d %q: got %q, want %s", l.path, l.line, l.text, found, l.entity))
	}
	return a
}

// TestLabelledAccuracy measures the graph against hand-labelled headings
// and mentions of the bundled notes, and fails if accuracy drops below
// the floor that the labelled set reached when it was made.
func TestLabelledAccuracy(t *testing.T) {
	res, err := Build(context.Background(), Options{ContentDir: "../content"})
	if err != nil {
		t.Fatal(err)
	}
	heads := readLabels(t, "testdata/labels/headings.tsv")
	ments := readLabels(t, "testdata/labels/mentions.tsv")
	a := measureLabels(res.Graph, heads, ments, nil)
	for _, m := range a.misses {
		t.Log(m)
	}
	hAcc, mAcc := a.headings(), a.mentions()
	t.Logf("labelled headings: %d, accuracy %.1f%%; labelled mentions: %d, accuracy %.1f%%", len(heads), 100*hAcc, len(ments), 100*mAcc)
	if len(heads) < 150 || len(ments) < 300 {
		t.Errorf("labelled set too small: %d headings, %d mentions", len(heads), len(ments))
	}
	if hAcc < 0.97 {
		t.Errorf("heading accuracy %.1f%% is below 97%%", 100*hAcc)
	}
	if mAcc < 0.95 {
		t.Errorf("mention accuracy %.1f%% is below 95%%", 100*mAcc)
	}
}
