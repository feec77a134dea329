package generator

import (
	"errors"
	"maps"
	"slices"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	nc "github.com/gen-site/gen/generator/internal/notecache"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/site"
)

// encodeEntry writes a note's cache entry, field by field, for
// decodeEntry: TestCacheCodec fills every field of every type here and
// fails when one does not come back, so a field added to one of them
// must be added here too (and cacheLayout changed).
func encodeEntry(c *cacheEntry) []byte {
	e := nc.NewEnc()
	e.Bool(c.Extract != nil)
	if x := c.Extract; x != nil {
		putNote(e, x.Note)
		nc.PutList(e, x.Sections, putSection)
		nc.PutList(e, x.Mentions, putMention)
		nc.PutList(e, x.Facts, putNoteFact)
		nc.PutList(e, x.Comparisons, putComparison)
		nc.PutList(e, x.Edges, putEdge)
		nc.PutList(e, x.Groups, putGroup)
	}
	nc.PutList(e, c.Keys, func(e *nc.Enc, k graph.FactKeys) {
		e.Strings(k.Words)
		e.Strings(k.Numbers)
		e.Float(k.Wording)
	})
	p := c.Prep
	e.String(p.Title)
	nc.PutList(e, p.Headings, putHeading)
	e.String(p.Description)
	e.Int(p.TitleOffset)
	e.Ints(p.Anchors)
	e.Strings(p.Links)
	e.Bytes(c.Docs)
	nc.PutList(e, c.Warnings, putDiagnostic)
	return e.Finish()
}

// decodeEntry reads what encodeEntry wrote.
func decodeEntry(b []byte) (*cacheEntry, error) {
	d := nc.NewDec(b)
	c := &cacheEntry{}
	if d.Bool() {
		c.Extract = &graph.NoteExtract{
			Note:        getNote(d),
			Sections:    nc.List(d, getSection),
			Mentions:    nc.List(d, getMention),
			Facts:       nc.List(d, getNoteFact),
			Comparisons: nc.List(d, getComparison),
			Edges:       nc.List(d, getEdge),
			Groups:      nc.List(d, getGroup),
		}
	}
	c.Keys = nc.List(d, func(d *nc.Dec) graph.FactKeys {
		return graph.FactKeys{Words: d.Strings(), Numbers: d.Strings(), Wording: d.Float()}
	})
	c.Prep = site.PreparedData{Title: d.String(), Headings: nc.List(d, getHeading), Description: d.String(),
		TitleOffset: d.Int(), Anchors: d.Ints(), Links: d.Strings()}
	c.Docs = d.Bytes()
	c.Warnings = nc.List(d, getDiagnostic)
	return c, d.Err()
}

// encodeMerge writes an entity's merge for decodeMerge.
func encodeMerge(m *graph.EntityMerge) []byte {
	e := nc.NewEnc()
	e.String(m.Entity)
	e.Bytes(m.Key[:])
	nc.PutList(e, m.Facts, func(e *nc.Enc, f graph.Fact) {
		e.String(f.ID)
		e.String(f.Entity)
		e.String(f.Topic)
		e.String(f.Text)
		e.String(f.Label)
		nc.PutList(e, f.Sources, putSource)
		e.Int(f.Notes)
	})
	nc.PutList(e, m.Conflicts, func(e *nc.Enc, c graph.Conflict) {
		e.String(c.Entity)
		e.String(c.Attribute)
		nc.PutList(e, c.Values, func(e *nc.Enc, v graph.ConflictValue) {
			e.String(v.Value)
			nc.PutList(e, v.Sources, putSource)
		})
	})
	nc.PutList(e, m.Alt, func(e *nc.Enc, a graph.AltEdge) {
		e.String(a.From)
		e.String(a.To)
		e.String(a.Kind)
		e.Int(a.Weight)
	})
	return e.Finish()
}

// errMergeKey is the error of a merge whose key is not a hash.
var errMergeKey = errors.New("not an entity's merge")

// decodeMerge reads what encodeMerge wrote.
func decodeMerge(b []byte) (*graph.EntityMerge, error) {
	d := nc.NewDec(b)
	m := &graph.EntityMerge{Entity: d.String()}
	if key := d.Bytes(); len(key) == len(m.Key) {
		copy(m.Key[:], key)
	} else {
		return nil, errMergeKey
	}
	m.Facts = nc.List(d, func(d *nc.Dec) graph.Fact {
		return graph.Fact{ID: d.String(), Entity: d.String(), Topic: d.String(), Text: d.String(), Label: d.String(),
			Sources: nc.List(d, getSource), Notes: d.Int()}
	})
	m.Conflicts = nc.List(d, func(d *nc.Dec) graph.Conflict {
		return graph.Conflict{Entity: d.String(), Attribute: d.String(), Values: nc.List(d, func(d *nc.Dec) graph.ConflictValue {
			return graph.ConflictValue{Value: d.String(), Sources: nc.List(d, getSource)}
		})}
	})
	m.Alt = nc.List(d, func(d *nc.Dec) graph.AltEdge {
		return graph.AltEdge{From: d.String(), To: d.String(), Kind: d.String(), Weight: d.Int()}
	})
	return m, d.Err()
}

func putNote(e *nc.Enc, n graph.Note) {
	e.String(n.ID)
	e.String(n.Path)
	e.String(n.Title)
	e.String(n.Format)
	e.Int(n.Lines)
}

func getNote(d *nc.Dec) graph.Note {
	return graph.Note{ID: d.String(), Path: d.String(), Title: d.String(), Format: d.String(), Lines: d.Int()}
}

func putSection(e *nc.Enc, s graph.Section) {
	e.String(s.Note)
	e.Int(s.Line)
	e.Int(s.Level)
	e.String(s.Heading)
	e.Bool(s.Entity != nil)
	if s.Entity != nil {
		e.String(*s.Entity)
	}
	e.Strings(s.Entities)
	e.String(s.Context)
	e.String(s.Topic)
	e.String(s.Annotation)
	e.Int(s.Parent)
}

func getSection(d *nc.Dec) graph.Section {
	s := graph.Section{Note: d.String(), Line: d.Int(), Level: d.Int(), Heading: d.String()}
	if d.Bool() {
		id := d.String()
		s.Entity = &id
	}
	s.Entities, s.Context, s.Topic, s.Annotation, s.Parent = d.Strings(), d.String(), d.String(), d.String(), d.Int()
	return s
}

func putMention(e *nc.Enc, m graph.Mention) {
	e.String(m.Note)
	e.Int(m.Line)
	e.String(m.Text)
	e.String(m.Entity)
	e.String(m.How)
	e.Float(m.Score)
	e.String(m.Context)
	e.String(m.Sentence)
}

func getMention(d *nc.Dec) graph.Mention {
	return graph.Mention{Note: d.String(), Line: d.Int(), Text: d.String(), Entity: d.String(), How: d.String(),
		Score: d.Float(), Context: d.String(), Sentence: d.String()}
}

func putSource(e *nc.Enc, s graph.Source) {
	e.String(s.Note)
	e.Int(s.Line)
	e.String(s.Text)
}

func getSource(d *nc.Dec) graph.Source {
	return graph.Source{Note: d.String(), Line: d.Int(), Text: d.String()}
}

func putNoteFact(e *nc.Enc, f graph.NoteFact) {
	e.String(f.Entity)
	e.String(f.Topic)
	e.String(f.Text)
	e.String(f.Label)
	putSource(e, f.Source)
	e.Int(f.Section)
	nc.PutList(e, f.Quantities, func(e *nc.Enc, q graph.Quantity) {
		e.String(q.Attribute)
		e.String(q.Qualifier)
		e.Float(q.Value)
		e.String(q.Unit)
		e.String(q.Text)
	})
	e.String(f.Group)
}

func getNoteFact(d *nc.Dec) graph.NoteFact {
	return graph.NoteFact{Entity: d.String(), Topic: d.String(), Text: d.String(), Label: d.String(), Source: getSource(d),
		Section: d.Int(), Quantities: nc.List(d, func(d *nc.Dec) graph.Quantity {
			return graph.Quantity{Attribute: d.String(), Qualifier: d.String(), Value: d.Float(), Unit: d.String(), Text: d.String()}
		}), Group: d.String()}
}

func putComparison(e *nc.Enc, c graph.Comparison) {
	e.String(c.ID)
	e.String(c.Title)
	e.String(c.Kind)
	e.Strings(c.Entities)
	nc.PutList(e, c.Rows, func(e *nc.Enc, r graph.ComparisonRow) {
		e.String(r.Attribute)
		// Maps in the order of their keys: the same entry, the same bytes.
		keys := slices.Sorted(maps.Keys(r.Cells))
		e.Len(len(keys))
		for _, k := range keys {
			e.String(k)
			e.String(r.Cells[k])
		}
		keys = slices.Sorted(maps.Keys(r.Sources))
		e.Len(len(keys))
		for _, k := range keys {
			e.String(k)
			nc.PutList(e, r.Sources[k], putSource)
		}
		e.Bool(r.Conflict)
	})
	nc.PutList(e, c.Sources, putSource)
}

func getComparison(d *nc.Dec) graph.Comparison {
	c := graph.Comparison{ID: d.String(), Title: d.String(), Kind: d.String(), Entities: d.Strings()}
	c.Rows = nc.List(d, func(d *nc.Dec) graph.ComparisonRow {
		r := graph.ComparisonRow{Attribute: d.String()}
		if n := d.Len(); n > 0 {
			r.Cells = make(map[string]string, nc.Room(n))
			for range n {
				k := d.String()
				r.Cells[k] = d.String()
			}
		}
		if n := d.Len(); n > 0 {
			r.Sources = make(map[string][]graph.Source, nc.Room(n))
			for range n {
				k := d.String()
				r.Sources[k] = nc.List(d, getSource)
			}
		}
		r.Conflict = d.Bool()
		return r
	})
	c.Sources = nc.List(d, getSource)
	return c
}

func putEdge(e *nc.Enc, g graph.Edge) {
	e.String(g.From)
	e.String(g.To)
	e.String(g.Kind)
	e.Int(g.Weight)
}

func getEdge(d *nc.Dec) graph.Edge {
	return graph.Edge{From: d.String(), To: d.String(), Kind: d.String(), Weight: d.Int()}
}

func putGroup(e *nc.Enc, g graph.CompareGroup) {
	e.String(g.ID)
	e.String(g.Title)
	putSource(e, g.Source)
	e.Strings(g.Entities)
}

func getGroup(d *nc.Dec) graph.CompareGroup {
	return graph.CompareGroup{ID: d.String(), Title: d.String(), Source: getSource(d), Entities: d.Strings()}
}

func putHeading(e *nc.Enc, h parse.Heading) {
	e.Int(h.Level)
	e.String(h.Text)
	e.String(h.Raw)
	e.String(h.Annotation)
	e.String(h.Rule)
	e.String(h.ID)
	e.Int(h.Offset)
}

func getHeading(d *nc.Dec) parse.Heading {
	return parse.Heading{Level: d.Int(), Text: d.String(), Raw: d.String(), Annotation: d.String(), Rule: d.String(),
		ID: d.String(), Offset: d.Int()}
}

func putDiagnostic(e *nc.Enc, g diag.Diagnostic) {
	e.String(g.Path)
	e.Int(g.Line)
	e.Int(int(g.Severity))
	e.String(g.Rule)
	e.String(g.Msg)
}

func getDiagnostic(d *nc.Dec) diag.Diagnostic {
	return diag.Diagnostic{Path: d.String(), Line: d.Int(), Severity: diag.Severity(d.Int()), Rule: d.String(), Msg: d.String()}
}
