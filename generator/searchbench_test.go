package generator

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/search"
	"github.com/gen-site/gen/generator/internal/source"
)

// TestSearchIndexBench prints the search index figures of a content folder
// (scripts/search-bench.sh runs it; it runs only with GEN_SEARCH_BENCH=1):
// the time to make the index (the documents' text from the notes' trees
// and the graph, the Bleve index, the export), its files raw and gzipped,
// and, when PAGEFIND names Pagefind's command and GEN_SEARCH_BENCH_SITE the
// built site, Pagefind's index build of the same site, run alternately with
// gen's so that both see the same machine.
//
//	GEN_SEARCH_BENCH_CONTENT  the content folder (default: the bundled notes)
//	GEN_SEARCH_BENCH_RUNS     runs of each (default 5)
func TestSearchIndexBench(t *testing.T) {
	if os.Getenv("GEN_SEARCH_BENCH") != "1" {
		t.Skip("set GEN_SEARCH_BENCH=1 (or run scripts/search-bench.sh)")
	}
	dir := os.Getenv("GEN_SEARCH_BENCH_CONTENT")
	if dir == "" {
		dir = "../content"
	}
	runs := 5
	if n, err := strconv.Atoi(os.Getenv("GEN_SEARCH_BENCH_RUNS")); err == nil && n > 0 {
		runs = n
	}
	ctx := context.Background()
	opts := Options{ContentDir: dir}
	contentFS, release, err := opts.contentFS()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	t0 := time.Now()
	notes, ld := source.Load(contentFS, source.Options{MaxNoteSize: opts.MaxNoteSize})
	if len(notes) == 0 && len(ld) > 0 {
		t.Fatalf("no notes: %v", ld[0])
	}
	docs := parseAll(ctx, parse.New(), notes)
	know, _ := loadKnowledge(contentFS)
	g := buildGraph(ctx, docs, know)
	fmt.Printf("content %s: %d notes; read, parsed and graphed in %v (not part of the index figures)\n", dir, len(notes), time.Since(t0).Round(time.Millisecond))

	pagefind, siteDir := os.Getenv("PAGEFIND"), os.Getenv("GEN_SEARCH_BENCH_SITE")
	var gens, texts, blev, exps, pfs []time.Duration
	var files []search.File
	var nDocs int
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		sdocs := searchDocs(docs, g)
		t1 := time.Now()
		ix, err := search.Build(sdocs)
		if err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		fs, err := ix.Export()
		if err != nil {
			t.Fatal(err)
		}
		t3 := time.Now()
		_ = ix.Close()
		texts, blev, exps = append(texts, t1.Sub(t0)), append(blev, t2.Sub(t1)), append(exps, t3.Sub(t2))
		gens = append(gens, t3.Sub(t0))
		files, nDocs = fs, len(sdocs)
		if pagefind != "" && siteDir != "" {
			out := t.TempDir()
			cmd := exec.Command(pagefind, "--site", siteDir, "--output-path", out)
			var msg bytes.Buffer
			cmd.Stdout, cmd.Stderr = &msg, &msg
			p0 := time.Now()
			if err := cmd.Run(); err != nil {
				t.Fatalf("pagefind: %v\n%s", err, msg.String())
			}
			pfs = append(pfs, time.Since(p0))
			if i == runs-1 {
				raw, gz, n := dirSize(t, out)
				fmt.Printf("Pagefind index: %d files, %.1f MB raw, %.1f MB gzipped\n", n, float64(raw)/1e6, float64(gz)/1e6)
			}
		}
	}
	fmt.Printf("gen index build (%d documents: pages and their sections), median of %d: %v = text %v + Bleve %v + export %v (all runs: %v)\n",
		nDocs, runs, med(gens), med(texts), med(blev), med(exps), roundAll(gens))
	if len(pfs) > 0 {
		fmt.Printf("Pagefind 1.x index build of the built site, median of %d, alternating with gen: %v (all runs: %v)\n", runs, med(pfs), roundAll(pfs))
		fmt.Printf("ratio gen / Pagefind: %.3f (target <= 0.25)\n", float64(med(gens))/float64(med(pfs)))
	}
	var raw, gz int
	for _, f := range files {
		raw += len(f.Data)
		gz += gzLen(f.Data)
	}
	fmt.Printf("gen index files: %d, %.1f KB raw, %.1f KB gzipped (gzip -6); %.1f bytes gzipped per document\n",
		len(files), float64(raw)/1024, float64(gz)/1024, float64(gz)/float64(max(nDocs, 1)))
}

func med(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

func roundAll(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Round(time.Millisecond).String())
	}
	return strings.Join(parts, " ")
}

func gzLen(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, 6)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

func dirSize(t *testing.T, dir string) (raw, gz, n int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		raw += len(data)
		// Pagefind's .pf_* files are gzipped already; count them as they are.
		if strings.Contains(filepath.Base(p), ".pf_") {
			gz += len(data)
		} else {
			gz += gzLen(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw, gz, n
}
