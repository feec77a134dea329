package parse

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/parse/mdext"
	"github.com/gen-site/gen/generator/internal/source"
)

// noteRules lists, for each bundled note, the rules that must repair it
// and no others: the quirks of each format, and no rule firing where the
// note is already what its author meant.
var noteRules = []struct {
	prefix string   // the note's file name starts with it
	rules  []string // sorted
}{
	{"000_", []string{clean.RuleFinalNewline, mdext.RuleListHeading}},
	{"001_", []string{mdext.RuleATXNoSpace, clean.RuleNesting, clean.RuleTrailingSpace}},
	{"002_", nil},
	{"003_", []string{"annotation", clean.RuleBullet, clean.RuleDoubleMarker, clean.RuleFinalNewline,
		clean.RuleMixedMarker, clean.RuleNesting, clean.RulePackedBullets, clean.RuleTrailingSpace}},
	{"004_", []string{mdext.RuleBanner, clean.RuleFinalNewline, mdext.RulePipeTable, mdext.RuleTitle}},
}

// plainHeading is a heading as some parser found it, on a raw line.
type plainHeading struct {
	Level int
	Line  int
	Text  string
}

func (h plainHeading) String() string {
	return fmt.Sprintf("%s %d: %s", strings.Repeat("#", h.Level), h.Line, h.Text)
}

// goldmarkHeadings lists the headings that plain goldmark with GFM, and
// nothing of gen, finds in raw: the whole file, front matter included, as
// any other markdown tool would read it.
func goldmarkHeadings(raw []byte) []plainHeading {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(raw), parser.WithContext(parser.NewContext()))
	var hs []plainHeading
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		off := NodeOffset(h, raw)
		hs = append(hs, plainHeading{Level: h.Level, Line: bytes.Count(raw[:off], []byte("\n")) + 1, Text: PlainText(h, raw)})
		return ast.WalkSkipChildren, nil
	})
	return hs
}

// repairCounts counts what the cleaner and the parser repaired in a note,
// by rule, as gen check lists it: the cleaner's repairs, the headings a
// rule recovered, the annotations cut and the tables recovered.
func repairCounts(c *clean.Result, doc *Doc) map[string]int {
	n := map[string]int{}
	for _, r := range c.Repairs {
		n[r.Rule]++
	}
	for _, h := range Headings(doc) {
		if h.Rule != "" {
			n[h.Rule]++
		}
		if h.Annotation != "" {
			n["annotation"]++
		}
	}
	n[mdext.RulePipeTable] += len(RecoveredTables(doc))
	if n[mdext.RulePipeTable] == 0 {
		delete(n, mdext.RulePipeTable)
	}
	return n
}

// TestNotesAgainstGoldmark compares, for each bundled note, the headings
// plain goldmark (with GFM) finds in the raw file with the headings gen
// finds. Every heading goldmark finds in the body must be a heading of gen
// at the same raw line, with the same level and text (less an annotation
// gen cuts); goldmark's headings in front matter must not be; every heading
// goldmark does not find must carry the rule that recovered it. Only the
// rules listed in noteRules may repair each note, and each of them must.
// Run with -v to see the figures: heading counts, the headings that differ,
// and the repairs by rule per note and in total.
func TestNotesAgainstGoldmark(t *testing.T) {
	p := New()
	notes := map[string]*source.Note{}
	for _, n := range loadNotes(t) {
		notes[filepath.Base(n.Path)] = n
	}
	total := map[string]int{}
	var table strings.Builder
	for _, tc := range noteRules {
		var n *source.Note
		for name, m := range notes {
			if strings.HasPrefix(name, tc.prefix) {
				n = m
			}
		}
		if n == nil {
			t.Errorf("no note %s*", tc.prefix)
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(n.Path), filepath.Ext(n.Path)), func(t *testing.T) {
			c, doc := pipeline(p, n.Body, cleanOptions(n))
			plain := goldmarkHeadings(n.Raw)
			gen := Headings(doc)
			byLine := map[int]Heading{}
			for _, h := range gen {
				byLine[c.RawLine(h.Offset)] = h
			}
			var diffs []string
			found := map[int]bool{}
			for _, ph := range plain {
				h, ok := byLine[ph.Line]
				if ph.Line < n.BodyLine {
					// Front matter is metadata: "title: …" over its
					// closing "---" is a setext heading to goldmark.
					diffs = append(diffs, fmt.Sprintf("goldmark only (front matter): %v", ph))
					if ok {
						t.Errorf("gen keeps goldmark's heading %v, which is front matter", ph)
					}
					continue
				}
				found[ph.Line] = true
				switch {
				case !ok:
					t.Errorf("gen loses goldmark's heading %v", ph)
				case h.Level != ph.Level || !sameText(ph.Text, h):
					t.Errorf("goldmark's heading %v is %s %q (annotation %q) to gen", ph, strings.Repeat("#", h.Level), h.Text, h.Annotation)
				case h.Annotation != "":
					diffs = append(diffs, fmt.Sprintf("both, annotation cut by gen: %v → %q {%s}", ph, h.Text, h.Annotation))
				}
			}
			byRule := map[string]int{}
			for _, h := range gen {
				line := c.RawLine(h.Offset)
				if h.Rule != "" {
					byRule[h.Rule]++
				}
				if found[line] {
					continue
				}
				diffs = append(diffs, fmt.Sprintf("gen only [%s]: %s %d: %s", h.Rule, strings.Repeat("#", h.Level), line, h.Text))
				if h.Rule == "" {
					t.Errorf("gen's heading %d: %q is not goldmark's, and no rule recovered it", line, h.Text)
				}
			}
			t.Logf("%s (%s): goldmark %d headings (%d in the body), gen %d; gen's by rule %v\n%s",
				n.Path, c.Format, len(plain), len(found), len(gen), byRule, strings.Join(diffs, "\n"))

			counts := repairCounts(c, doc)
			var rules []string
			sum := 0
			for r, k := range counts {
				rules = append(rules, r)
				total[r] += k
				sum += k
			}
			sort.Strings(rules)
			if !slices.Equal(rules, tc.rules) {
				t.Errorf("%s is repaired by rules %v, want %v", n.Path, rules, tc.rules)
			}
			fmt.Fprintf(&table, "%-32s %5d %v\n", n.Path, sum, counts)
		})
	}
	sum := 0
	for _, k := range total {
		sum += k
	}
	fmt.Fprintf(&table, "%-32s %5d %v\n", "total", sum, total)
	t.Logf("repairs by rule (as gen check lists them):\n%s", table.String())
}

// sameText reports whether goldmark's text of a heading is gen's: the
// same, or gen's with the annotation it cut.
func sameText(plain string, h Heading) bool {
	if plain == h.Text {
		return true
	}
	return h.Annotation != "" && strings.HasPrefix(plain, h.Text) && strings.Contains(plain, h.Annotation)
}
