package generator

import (
	"strings"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/search"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/yuin/goldmark/ast"
)

// SearchHit is one result of Result.Search.
type SearchHit = search.Hit

// searchDocs lists what the search index holds: every page, and every
// section of a page, so that a result can open the exact section. The
// text comes from the graph and the notes' ASTs, never from HTML.
func searchDocs(notes []*site.Note, g *graph.Graph) []search.Doc {
	parts := make([][]search.Doc, len(notes))
	for i, n := range notes {
		parts[i] = noteSearchDocs(n)
	}
	return joinSearchDocs(graphSearchDocs(g), parts)
}

// joinSearchDocs puts the documents of the graph and of each note
// together, the first of each ID only: section ids repeat when a page has
// two headings of the same text in goldmark's scheme only if ids collide.
func joinSearchDocs(graphDocs []search.Doc, notes [][]search.Doc) []search.Doc {
	n := len(graphDocs)
	for _, ds := range notes {
		n += len(ds)
	}
	docs := make([]search.Doc, 0, n)
	docs = append(docs, graphDocs...)
	for _, ds := range notes {
		docs = append(docs, ds...)
	}
	seen := make(map[string]bool, len(docs))
	out := docs[:0]
	for _, d := range docs {
		if !seen[d.ID] {
			seen[d.ID] = true
			out = append(out, d)
		}
	}
	return out
}

// graphSearchDocs lists the documents of the entity, category and
// comparison pages.
func graphSearchDocs(g *graph.Graph) []search.Doc {
	var docs []search.Doc
	// A result shows its entity's category chip: Doc.Category holds the
	// chip's colour class and name, "cat-3 Analytics", as the pages draw it
	// (assets/search/ui.js splits it at the first space).
	chips := site.CategoryChips(g)
	chip := func(id string) string {
		if c, ok := chips[id]; ok {
			return c[0] + " " + c[1]
		}
		return ""
	}

	// Entities: a page with the summary, and a section per topic of facts.
	factsOf := map[string][]graph.Fact{}
	for _, f := range g.Facts {
		factsOf[f.Entity] = append(factsOf[f.Entity], f)
	}
	mentioned := map[string]bool{}
	for m := range g.EachMention() {
		mentioned[m.Entity] = true
	}
	for i := range g.Entities {
		e := &g.Entities[i]
		if e.Kind != "category" && len(factsOf[e.ID]) == 0 && !mentioned[e.ID] {
			continue // no page is made for an entity the notes never name
		}
		url := site.EntityURL(e)
		aliases := append(append([]string{}, e.Aliases...), e.Formerly...)
		cat := chip(e.ID)
		docs = append(docs, search.Doc{ID: url, URL: url, Title: e.Name, Aliases: aliases, Body: e.Summary, Category: cat})
		byTopic := map[string][]string{}
		var order []string
		for _, f := range factsOf[e.ID] {
			if _, ok := byTopic[f.Topic]; !ok {
				order = append(order, f.Topic)
			}
			byTopic[f.Topic] = append(byTopic[f.Topic], f.Text)
		}
		for _, t := range order {
			id, name := site.TopicSection(t)
			// A topic with a page of its own opens there: its entity's page
			// lists only the first of its facts.
			at := url + "#" + id
			if len(byTopic[t]) > site.TopicFacts && e.Kind != "category" {
				at = site.TopicURL(e, t)
			}
			docs = append(docs, search.Doc{
				ID: at, URL: at, Title: e.Name, Section: name,
				// No aliases here: a search for a service's name should open
				// its page first, not one of its sections.
				Headings: []string{name}, Body: strings.Join(byTopic[t], "\n"), Category: cat,
			})
		}
	}

	// Comparisons: one page each, its rows as text.
	for _, c := range g.Comparisons {
		var b strings.Builder
		for _, r := range c.Rows {
			b.WriteString(r.Attribute)
			b.WriteString(": ")
			for _, id := range c.Entities {
				if v := r.Cells[id]; v != "" {
					b.WriteString(v)
					b.WriteString("; ")
				}
			}
			b.WriteByte('\n')
		}
		url := site.ComparisonURL(c.ID)
		docs = append(docs, search.Doc{ID: url, URL: url, Title: c.Title, Body: b.String()})
	}

	return docs
}

// noteSearchDocs lists the documents of a note's page: the page with the
// text before the first heading, and a section per heading. It reads the
// note's AST, before its page decorates it.
func noteSearchDocs(n *site.Note) []search.Doc {
	var docs []search.Doc
	url := site.NoteURL(n.Source.Slug)
	title := n.Title()
	type sec struct {
		id, heading string
		path        []string
		body        strings.Builder
	}
	var secs []*sec
	cur := &sec{}
	var stack []struct {
		level int
		text  string
	}
	for c := n.Doc.Root.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			text := parse.PlainText(h, n.Doc.Source)
			for len(stack) > 0 && stack[len(stack)-1].level >= h.Level {
				stack = stack[:len(stack)-1]
			}
			var path []string
			for _, s := range stack {
				path = append(path, s.text)
			}
			stack = append(stack, struct {
				level int
				text  string
			}{h.Level, text})
			id := ""
			if v, ok := h.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					id = string(b)
				}
			}
			secs = append(secs, cur)
			cur = &sec{id: id, heading: text, path: append(path, text)}
			continue
		}
		cur.body.WriteString(blockText(c, n.Doc.Source))
		cur.body.WriteByte('\n')
	}
	secs = append(secs, cur)
	for i, s := range secs {
		if i == 0 {
			docs = append(docs, search.Doc{ID: url, URL: url, Title: title, Body: s.body.String()})
			continue
		}
		if s.id == "" {
			continue
		}
		docs = append(docs, search.Doc{ID: url + "#" + s.id, URL: url + "#" + s.id, Title: title, Section: s.heading,
			Headings: s.path, Body: s.body.String()})
	}
	return docs
}

// blockText returns the plain text of a block and its descendants, with
// line breaks between blocks.
func blockText(n ast.Node, src []byte) string {
	switch n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		return parse.PlainText(n, src)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		l := n.Lines()
		for i := 0; i < l.Len(); i++ {
			seg := l.At(i)
			b.Write(seg.Value(src))
		}
		return b.String()
	}
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t := blockText(c, src); t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 && n.Type() == ast.TypeInline {
		return parse.PlainText(n, src)
	}
	return strings.Join(parts, "\n")
}
