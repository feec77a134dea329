package generator

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// redirects makes the host's redirect table (Netlify's _redirects): every
// alias and former name of an entity is a URL of its page
// (/services/kdf/ → /services/kinesis-data-firehose.html), so that links
// written by hand and pages renamed with a service keep working.
// Only entities the notes name (named: with facts or mentions) get them.
func redirects(g *graph.Graph, baseURL string, named map[string]bool) []byte {
	base := "/"
	if u, err := url.Parse(baseURL); err == nil && u.Path != "" {
		base = u.Path
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
	}
	taken := map[string]bool{}
	for _, e := range g.Entities {
		taken[e.ID] = true
	}
	var lines []string
	seen := map[string]bool{}
	for i := range g.Entities {
		e := &g.Entities[i]
		if e.Kind == "category" || !named[e.ID] {
			continue
		}
		to := base + site.EntityURL(e)
		for _, name := range append(append([]string{e.Name}, e.Aliases...), e.Formerly...) {
			slug := source.Slugify(name)
			// A slug that is another entity's id, or that two entities
			// share, would send readers to the wrong page.
			if slug == "" || slug == e.ID || taken[slug] {
				continue
			}
			if seen[slug] {
				continue
			}
			seen[slug] = true
			from := base + "services/" + slug
			lines = append(lines, fmt.Sprintf("%s %s 301", from, to), fmt.Sprintf("%s/ %s 301", from, to), fmt.Sprintf("%s.html %s 301", from, to))
		}
	}
	slices.Sort(lines)
	var b strings.Builder
	b.WriteString("# Made by gen build: the names and former names of each service lead to its page.\n")
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// namedEntities returns the entities g's notes name: those with facts,
// and those mentioned (mentioned counts, per entity, the notes that
// mention it).
func namedEntities(g *graph.Graph, mentioned map[string]int) map[string]bool {
	named := make(map[string]bool, len(mentioned))
	last := ""
	for i := range g.Facts {
		// A graph's facts come by entity: one look at the map a run.
		if e := g.Facts[i].Entity; i == 0 || e != last {
			named[e], last = true, e
		}
	}
	for e := range mentioned {
		named[e] = true
	}
	return named
}

// mentionCounts counts, for each entity g's notes mention, the notes that
// mention it.
func mentionCounts(g *graph.Graph) map[string]int {
	counts := map[string]int{}
	if g.NoteMentions != nil {
		// In runs of notes on every core, each run's counts summed after:
		// note by note on one core, the 565,000 mentions of 10,000 notes
		// took 58 ms of a preview's start.
		runs := par.Runs(len(g.NoteMentions))
		parts := make([]map[string]int, len(runs))
		par.ForEach(len(runs), func(r int) {
			part, seen := map[string]int{}, map[string]bool{}
			for _, ms := range g.NoteMentions[runs[r][0]:runs[r][1]] {
				clear(seen)
				for _, m := range ms {
					if !seen[m.Entity] {
						seen[m.Entity] = true
						part[m.Entity]++
					}
				}
			}
			parts[r] = part
		})
		for _, part := range parts {
			for e, n := range part {
				counts[e] += n
			}
		}
		return counts
	}
	// A graph made by hand has its mentions in one list, in note order.
	for start := 0; start < len(g.Mentions); {
		end := start + 1
		for end < len(g.Mentions) && g.Mentions[end].Note == g.Mentions[start].Note {
			end++
		}
		mentionedBy(counts, g.Mentions[start:end], 1)
		start = end
	}
	return counts
}

// mentionedBy adds step to the count of each entity the mentions ms name
// (once per entity), deleting the counts that reach 0.
func mentionedBy(counts map[string]int, ms []graph.Mention, step int) {
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Entity] {
			continue
		}
		seen[m.Entity] = true
		counts[m.Entity] += step
		if counts[m.Entity] <= 0 {
			delete(counts, m.Entity)
		}
	}
}
