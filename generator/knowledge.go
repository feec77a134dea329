package generator

import (
	"context"
	"io/fs"
	"runtime"
	"sync"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/resolve"
	"github.com/gen-site/gen/generator/internal/site"
)

// loadKnowledge reads the entity catalog of the content folder.
func loadKnowledge(fsys fs.FS) (*graph.Knowledge, diag.List) {
	return graph.NewKnowledge(nil, resolve.New(nil), nil), nil
}

// buildGraph extracts what each note says, in parallel (each extract
// depends on its note and the catalog alone), and merges the extracts.
func buildGraph(ctx context.Context, docs []*site.Note, k *graph.Knowledge) *graph.Graph {
	extracts := make([]*graph.NoteExtract, len(docs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(docs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				d := docs[i]
				extracts[i] = graph.Extract(graph.Input{
					ID: d.Source.ID, Path: d.Source.Path, Title: d.Title(), Raw: d.Source.Raw,
					Clean: d.Clean, Doc: d.Doc,
				}, k)
			}
		}()
	}
	for i := range docs {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return graph.Merge(extracts, k)
}
