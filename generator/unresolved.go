package generator

import (
	"regexp"
	"strings"

	"github.com/gen-site/gen/generator/internal/graph"
)

// UnresolvedName is a name in a note that looks like a service but names
// no entity of the catalog.
type UnresolvedName struct {
	Note string
	Line int
	Text string
}

// serviceLike matches "Amazon X" and "AWS X" phrases: one to three
// capitalised words after the vendor's name.
var serviceLike = regexp.MustCompile(`\b(?:Amazon|AWS)\s+((?:[A-Z][A-Za-z0-9]*(?:[ -](?:[A-Z][A-Za-z0-9]*|for|of|and))*)?)`)

// Unresolved lists the "Amazon X" and "AWS X" phrases of the graph's
// section headings that no mention covers, so that a catalog can be
// completed.
func Unresolved(g *graph.Graph) []UnresolvedName {
	covered := map[[2]any][]string{}
	for m := range g.EachMention() {
		k := [2]any{m.Note, m.Line}
		covered[k] = append(covered[k], strings.ToLower(m.Text))
	}
	seen := map[string]bool{}
	var out []UnresolvedName
	for _, s := range g.Sections {
		check := func(text string) {
			for _, sm := range serviceLike.FindAllStringSubmatch(text, -1) {
				phrase := strings.TrimSpace(sm[0])
				if len(strings.Fields(phrase)) < 2 {
					continue
				}
				ok := false
				for _, c := range covered[[2]any{s.Note, s.Line}] {
					if strings.Contains(strings.ToLower(phrase), c) || strings.Contains(c, strings.ToLower(sm[1])) {
						ok = true
					}
				}
				key := s.Note + "\x00" + phrase
				if !ok && !seen[key] {
					seen[key] = true
					out = append(out, UnresolvedName{Note: s.Note, Line: s.Line, Text: phrase})
				}
			}
		}
		check(s.Heading)
	}
	return out
}
