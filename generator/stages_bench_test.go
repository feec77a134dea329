package generator

import (
	"context"
	"os"
	"testing"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/search"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// benchContent is the content folder the stage benchmarks read: the
// bundled notes, or GEN_BENCH_CONTENT (a folder with notes/ and a
// catalog, such as a corpus made by mkcorpus).
func benchContent() string {
	if d := os.Getenv("GEN_BENCH_CONTENT"); d != "" {
		return d
	}
	return "../content"
}

// BenchmarkStages times each stage of the pipeline on its own, so that a
// profile of the whole build can be read stage by stage: notes/s and MB/s
// for the per-note stages, and allocations for all.
func BenchmarkStages(b *testing.B) {
	opts := Options{ContentDir: benchContent()}
	fsys, release, err := opts.contentFS()
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	notes, _ := source.Load(fsys, source.Options{})
	var bytes int64
	for _, n := range notes {
		bytes += int64(len(n.Raw))
	}
	p := parse.New()
	ctx := context.Background()
	docs := parseAll(ctx, p, notes)
	know, _ := loadKnowledge(fsys)
	g := buildGraph(ctx, docs, know)
	perNote := func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(bytes)
	}
	report := func(b *testing.B) {
		secs := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(float64(len(notes))/secs, "notes/s")
	}
	b.Run("source", func(b *testing.B) {
		perNote(b)
		for b.Loop() {
			source.Load(fsys, source.Options{})
		}
		report(b)
	})
	b.Run("clean", func(b *testing.B) {
		perNote(b)
		for b.Loop() {
			for _, n := range notes {
				clean.Clean(n.Body, clean.Options{FirstLine: n.BodyLine, FirstOff: n.BodyStart, FrontMatter: n.HasFront})
			}
		}
		report(b)
	})
	b.Run("clean+parse", func(b *testing.B) {
		perNote(b)
		for b.Loop() {
			parseAll(ctx, p, notes)
		}
		report(b)
	})
	b.Run("catalog", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			loadKnowledge(fsys)
		}
	})
	b.Run("extract", func(b *testing.B) {
		perNote(b)
		for b.Loop() {
			for _, d := range docs {
				graph.Extract(graph.Input{ID: d.Source.ID, Path: d.Source.Path, Title: d.Title(), Raw: d.Source.Raw, Clean: d.Clean, Doc: d.Doc}, know)
			}
		}
		report(b)
	})
	extracts := make([]*graph.NoteExtract, len(docs))
	for i, d := range docs {
		extracts[i] = graph.Extract(graph.Input{ID: d.Source.ID, Path: d.Source.Path, Title: d.Title(), Raw: d.Source.Raw, Clean: d.Clean, Doc: d.Doc}, know)
	}
	b.Run("merge", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			graph.Merge(extracts, know)
		}
	})
	b.Run("site", func(b *testing.B) {
		b.ReportAllocs()
		tmpl, assets := opts.themeFS()
		for b.Loop() {
			site.NewRenderer().Render(p, docs, g, site.Options{Templates: tmpl, Assets: assets, BrokenLinksWarn: true})
		}
	})
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		sdocs := searchDocs(docs, g)
		for b.Loop() {
			ix, err := search.Build(sdocs)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ix.Export(); err != nil {
				b.Fatal(err)
			}
			ix.Close()
		}
	})
}
