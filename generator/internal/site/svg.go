package site

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/layout"
)

// edgeRank orders edge kinds by how much they say: when two entities are
// joined in several ways the drawing shows the strongest.
var edgeRank = []string{"part-of", "source", "destination", "alternative-to", "compares", "mentions"}

func rankOf(kind string) int {
	if i := slices.Index(edgeRank, kind); i >= 0 {
		return i
	}
	return len(edgeRank)
}

type drawEdge struct {
	a, b   int
	kind   string
	weight int
}

// graphData picks the nodes and edges of the whole-site graph: every
// entity the notes know about (categories are shown by colour instead),
// and one edge per pair of them.
func (x *index) graphData() (nodes []*graph.Entity, edges []drawEdge) {
	at := map[string]int{}
	for _, e := range x.sortedEntities() {
		if e.Kind == "category" || !x.known(e.ID) {
			continue
		}
		at[e.ID] = len(nodes)
		nodes = append(nodes, e)
	}
	best := map[[2]int]drawEdge{}
	for _, e := range x.g.Edges {
		if e.Kind == "category" {
			continue
		}
		a, okA := at[e.From]
		b, okB := at[e.To]
		if !okA || !okB || a == b {
			continue
		}
		key := [2]int{min(a, b), max(a, b)}
		d, ok := best[key]
		if !ok {
			d = drawEdge{a: key[0], b: key[1], kind: e.Kind}
		} else if rankOf(e.Kind) < rankOf(d.kind) {
			d.kind = e.Kind
		}
		d.weight += max(e.Weight, 1)
		best[key] = d
	}
	for _, d := range best {
		edges = append(edges, d)
	}
	slices.SortFunc(edges, func(p, q drawEdge) int { return cmp.Or(cmp.Compare(p.a, q.a), cmp.Compare(p.b, q.b)) })
	return nodes, edges
}

func radius(degree int) float64 {
	return math.Min(6+2.2*math.Sqrt(float64(degree)), 22)
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

// graphSVG draws the whole-site graph. The layout is computed here, at
// build time, so the picture needs no script: graph.js only adds zoom, pan,
// highlighting and filtering on top of it.
func (l *linker) graphSVG() (template.HTML, []Link) {
	nodes, edges := l.x.graphData()
	if len(nodes) == 0 {
		return "", nil
	}
	const w, h = 1200.0, 800.0
	le := make([]layout.Edge, len(edges))
	for i, e := range edges {
		le[i] = layout.Edge{A: e.a, B: e.b, W: float64(e.weight)}
	}
	pts := layout.Force(len(nodes), le, layout.Options{Width: w, Height: h, Margin: 60, Seed: 1})
	degrees := make([]int, len(nodes))
	for _, e := range edges {
		degrees[e.a]++
		degrees[e.b]++
	}
	// The best-connected dozen are labelled at once; the other labels
	// show on hover, focus and zoom, so the picture stays legible.
	sorted := slices.Clone(degrees)
	slices.Sort(sorted)
	cut := sorted[len(sorted)-min(len(sorted), 12)]

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="kg" id="kg" viewBox="0 0 %d %d" aria-labelledby="kg-title">`, int(w), int(h))
	b.WriteString(`<title id="kg-title">Graph of every entity in the notes</title>`)
	b.WriteString(`<g class="viewport"><g class="edges">`)
	for _, e := range edges {
		p, q := pts[e.a], pts[e.b]
		fmt.Fprintf(&b, `<line class="edge k-%s" x1="%s" y1="%s" x2="%s" y2="%s" data-a="%s" data-b="%s"></line>`,
			template.HTMLEscapeString(e.kind), f1(p.X), f1(p.Y), f1(q.X), f1(q.Y),
			template.HTMLEscapeString(nodes[e.a].ID), template.HTMLEscapeString(nodes[e.b].ID))
	}
	b.WriteString(`</g><g class="nodes">`)
	var links []Link
	for i, n := range nodes {
		lk := l.entity(n)
		links = append(links, lk)
		cat := l.x.categoryOf(n)
		label := "lbl"
		if degrees[i] >= cut && degrees[i] > 0 {
			label = "lbl big"
		}
		r := radius(degrees[i])
		fmt.Fprintf(&b, `<a class="node %s" href="%s" data-e="%s" data-id="%s" data-cat="%s"><circle cx="%s" cy="%s" r="%s"></circle><text class="%s" x="%s" y="%s">%s</text></a>`,
			lk.Cat, template.HTMLEscapeString(lk.Href), template.HTMLEscapeString(n.ID), template.HTMLEscapeString(n.ID),
			template.HTMLEscapeString(cat.ID), f1(pts[i].X), f1(pts[i].Y), f1(r),
			label, f1(pts[i].X), f1(pts[i].Y+r+13), template.HTMLEscapeString(n.Name))
	}
	b.WriteString(`</g></g></svg>`)
	return template.HTML(b.String()), links
}

// localSVG draws an entity and its closest neighbours (by the weight of
// the edges between them) around it.
func (l *linker) localSVG(e *graph.Entity) template.HTML {
	weight := map[string]int{}
	kind := map[string]string{}
	note := func(other, k string, w int) {
		if other == e.ID || k == "category" || l.x.entity[other] == nil || l.x.entity[other].Kind == "category" {
			return
		}
		weight[other] += w
		if old, ok := kind[other]; !ok || rankOf(k) < rankOf(old) {
			kind[other] = k
		}
	}
	for _, ed := range l.x.out[e.ID] {
		note(ed.To, ed.Kind, ed.Weight)
	}
	for _, ed := range l.x.in[e.ID] {
		note(ed.From, ed.Kind, ed.Weight)
	}
	if len(weight) == 0 {
		return ""
	}
	ids := make([]string, 0, len(weight))
	for id := range weight {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(weight[b], weight[a]), cmp.Compare(a, b)) })
	if len(ids) > 10 {
		ids = ids[:10]
	}
	// Wide enough for labels beside the ring on both sides.
	const w, h = 360.0, 260.0
	c := layout.Point{X: w / 2, Y: h / 2}
	ring := layout.Ring(len(ids), c, 80)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="local-graph" viewBox="0 0 %d %d" aria-labelledby="lg-title">`, int(w), int(h))
	fmt.Fprintf(&b, `<title id="lg-title">%s and its closest neighbours</title>`, template.HTMLEscapeString(e.Name))
	for i, id := range ids {
		fmt.Fprintf(&b, `<line class="edge k-%s" x1="%s" y1="%s" x2="%s" y2="%s"></line>`,
			template.HTMLEscapeString(kind[id]), f1(c.X), f1(c.Y), f1(ring[i].X), f1(ring[i].Y))
	}
	self := l.entity(e)
	fmt.Fprintf(&b, `<g class="node self %s"><circle cx="%s" cy="%s" r="12"></circle><text class="lbl big" x="%s" y="%s">%s</text></g>`,
		self.Cat, f1(c.X), f1(c.Y), f1(c.X), f1(c.Y+28), template.HTMLEscapeString(truncate(shortName(e.Name), 24)))
	for i, id := range ids {
		lk, _ := l.entityID(id)
		p := ring[i]
		// Labels point away from the centre: to the right of nodes on the
		// right, to the left on the left, above and below at the top and
		// bottom, so they do not cross the edges.
		cls, tx, ty := "lbl big", p.X, p.Y+4
		switch {
		case p.X > c.X+20:
			cls, tx = "lbl big ta-s", p.X+12
		case p.X < c.X-20:
			cls, tx = "lbl big ta-e", p.X-12
		case p.Y < c.Y:
			ty = p.Y - 14
		default:
			ty = p.Y + 22
		}
		fmt.Fprintf(&b, `<a class="node %s" href="%s" data-e="%s"><circle cx="%s" cy="%s" r="8"></circle><text class="%s" x="%s" y="%s">%s</text></a>`,
			lk.Cat, template.HTMLEscapeString(lk.Href), template.HTMLEscapeString(id), f1(p.X), f1(p.Y),
			cls, f1(tx), f1(ty), template.HTMLEscapeString(truncate(shortName(lk.Name), 18)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// shortName drops the "Amazon " or "AWS " that most service names start
// with, where a drawing has little room.
func shortName(s string) string {
	for _, p := range []string{"Amazon ", "AWS "} {
		if t, ok := strings.CutPrefix(s, p); ok && t != "" {
			return t
		}
	}
	return s
}
