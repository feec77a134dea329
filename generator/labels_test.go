package generator

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
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

// TestLabelledAccuracy measures the graph against hand-labelled headings
// and mentions of the bundled notes, and fails if accuracy drops below
// the floor that the labelled set reached when it was made.
func TestLabelledAccuracy(t *testing.T) {
	res, err := Build(context.Background(), Options{ContentDir: "../content"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Graph
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
	mentions := map[key][][2]string{}
	for _, m := range g.Mentions {
		k := key{notePath[m.Note], m.Line}
		mentions[k] = append(mentions[k], [2]string{strings.ToLower(m.Text), m.Entity})
	}

	heads := readLabels(t, "testdata/labels/headings.tsv")
	right := 0
	for _, l := range heads {
		got, ok := sections[key{l.path, l.line}]
		if ok && got == l.entity {
			right++
			continue
		}
		if !ok {
			got = "no section"
		}
		t.Logf("heading %s:%d %q: got %s, want %s", l.path, l.line, l.text, got, l.entity)
	}
	hAcc := float64(right) / float64(len(heads))

	ments := readLabels(t, "testdata/labels/mentions.tsv")
	right = 0
	unmark := strings.NewReplacer("*", "", "_", "", "`", "")
	for _, l := range ments {
		text := unmark.Replace(strings.ToLower(l.text))
		found := ""
		for _, m := range mentions[key{l.path, l.line}] {
			mt := unmark.Replace(m[0])
			if strings.Contains(mt, text) || strings.Contains(text, mt) {
				found = m[1]
				if m[1] == l.entity {
					break
				}
			}
		}
		if (l.entity == "-" && found == "") || found == l.entity {
			right++
			continue
		}
		t.Logf("mention %s:%d %q: got %q, want %s", l.path, l.line, l.text, found, l.entity)
	}
	mAcc := float64(right) / float64(len(ments))
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
