package generator

import (
	"context"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/par"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// The stages of a build one at a time, for the benchmarks and tests that
// time or check one of them alone; Build runs clean, parse and extract as
// one pass over each note (processNotes).

// parseAll cleans and parses every note, in parallel: each note's result
// depends on that note alone.
func parseAll(ctx context.Context, p *parse.Parser, notes []*source.Note) []*site.Note {
	out := make([]*site.Note, len(notes))
	par.ForEach(len(notes), func(i int) {
		if ctx.Err() != nil {
			return
		}
		n := notes[i]
		c := site.CleanSource(n)
		out[i] = &site.Note{Source: n, Clean: c, Doc: p.Parse(c.Text, parse.Options{Format: c.Format})}
	})
	if ctx.Err() != nil {
		return nil
	}
	return out
}

// buildGraph extracts what each note says, in parallel (each extract
// depends on its note and the catalog alone), and merges the extracts.
func buildGraph(ctx context.Context, docs []*site.Note, k *graph.Knowledge) *graph.Graph {
	extracts := make([]*graph.NoteExtract, len(docs))
	par.ForEach(len(docs), func(i int) {
		if ctx.Err() != nil {
			return
		}
		d := docs[i]
		extracts[i] = graph.Extract(graph.Input{
			ID: d.Source.ID, Path: d.Source.Path, Title: d.Title(), Raw: d.Source.Raw,
			Clean: d.Clean, Doc: d.Doc,
		}, k)
	})
	return graph.Merge(extracts, k)
}
