package site

import (
	"cmp"
	"io/fs"
	"strconv"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/source"
)

// searchPage makes search.html, where the search box sends a query
// (search.html?q=...) and where a results link can be shared. The results
// are drawn by assets/search/ui.js from the exported index; without
// script the page says so.
func (b *builder) searchPage(diags *diag.List) {
	if b.tmpl["search"] == nil {
		return
	}
	b.page(&Page{Kind: "search", Path: "search.html", Title: "Search",
		Description: "Search every page and section of the notes."}, diags)
}

// CategoryChips returns, for every entity of g that has a category page,
// the colour class and the name of its category ("cat-3", "Analytics"): the
// chip the pages show, which search results show too.
func CategoryChips(g *graph.Graph) map[string][2]string {
	out := map[string][2]string{}
	if g == nil {
		return out
	}
	x := newEntityIndex(g)
	for id, e := range x.entity {
		if c := x.categoryOf(e); c != nil && c != e {
			out[id] = [2]string{"cat-" + strconv.Itoa(x.colour[c.ID]), c.Name}
		}
	}
	return out
}

// optionalKinds are the page kinds made only when the templates have them:
// a site's own template folder from before the search page (the embedded
// templates always have it) keeps building, its search box pointing at a
// page it can add later.
func optionalKinds(tmpl fs.FS) []string {
	if _, err := fs.Stat(tmpl, "search.html"); err == nil {
		return []string{"search"}
	}
	return nil
}

// TopicSection returns the id and the heading of the section of an entity
// page that lists the facts of a topic, so that a search result can open it.
func TopicSection(topic string) (id, name string) {
	name = humanize(topic)
	if topic == "" {
		name = "Other facts"
	}
	return "topic-" + cmp.Or(source.Slugify(topic), "other"), name
}
