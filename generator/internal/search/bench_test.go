package search

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchReport prints the search figures (see bench.sh); it runs only
// with SEARCH_BENCH=1. SEARCH_BENCH_DIR names another corpus folder (.md and
// .txt files, split at headings like the bundled notes).
func TestBenchReport(t *testing.T) {
	if os.Getenv("SEARCH_BENCH") != "1" {
		t.Skip("set SEARCH_BENCH=1 (or run bench.sh)")
	}
	dir := os.Getenv("SEARCH_BENCH_DIR")
	if dir == "" {
		dir = notesDir
	}
	var docs []Doc
	if n, _ := strconv.Atoi(os.Getenv("SEARCH_BENCH_SYNTH")); n > 0 {
		dir = fmt.Sprintf("synthetic(%d)", n)
		docs = synthCorpus(notesCorpus(t), n, 42)
	} else {
		docs = corpusDir(t, dir)
	}
	var text int
	for _, d := range docs {
		text += len(d.Title) + len(d.Body) + len(strings.Join(d.Headings, " ")) + len(strings.Join(d.Aliases, " "))
	}
	report := func(format string, a ...interface{}) { fmt.Printf(format+"\n", a...) }
	report("corpus %s: %d docs, %.1f KB of text", dir, len(docs), float64(text)/1024)

	const runs = 5
	var builds, exports []time.Duration
	var ix *Index
	var files []File
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		x, err := Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		fs, err := x.Export()
		if err != nil {
			t.Fatal(err)
		}
		builds, exports = append(builds, t1.Sub(t0)), append(exports, time.Since(t1))
		if ix != nil {
			_ = ix.Close()
		}
		ix, files = x, fs
	}
	defer ix.Close()
	report("index build (Bleve, one batch): median %v of %d; export: median %v", median(builds), runs, median(exports))

	kinds := map[string][2]int{}
	var raw, gz int
	for _, f := range files {
		k := fileKind(f.Path)
		g := gzipLen(f.Data)
		c := kinds[k]
		c[0] += len(f.Data)
		c[1] += g
		kinds[k] = c
		raw += len(f.Data)
		gz += g
	}
	report("index files: %d, %.1f KB raw, %.1f KB gzipped", len(files), float64(raw)/1024, float64(gz)/1024)
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		n := 0
		for _, f := range files {
			if fileKind(f.Path) == k {
				n++
			}
		}
		report("  %-6s %3d files %8.1f KB raw %7.1f KB gz", k, n, float64(kinds[k][0])/1024, float64(kinds[k][1])/1024)
	}
	clientRaw, err := os.ReadFile(clientJS)
	if err != nil {
		t.Fatal(err)
	}
	report("client search.js: %.1f KB raw, %.1f KB gzipped", float64(len(clientRaw))/1024, float64(gzipLen(clientRaw))/1024)

	// A rare word (in one document) and the word in most documents.
	ex, err := ix.read()
	if err != nil {
		t.Fatal(err)
	}
	docFreq := func(term string) int {
		seen := map[int]bool{}
		if e := ex.post[term]; e != nil {
			for _, ps := range e {
				for _, p := range ps {
					seen[p.doc] = true
				}
			}
		}
		return len(seen)
	}
	rare, common, commonDF := "", "", 0
	for _, w := range vocabulary(docs) {
		ws := ix.an.words(w)
		if len(ws) != 1 || ws[0].stem == "" || len([]rune(w)) < 4 {
			continue
		}
		df := docFreq(ws[0].stem)
		if df == 1 && rare == "" {
			rare = w
		}
		if df > commonDF {
			common, commonDF = w, df
		}
	}
	queries := []string{rare + " ", common + " ", strings.ToLower(common[:3])}
	qf := filepath.Join(t.TempDir(), "q.json")
	qj, _ := json.Marshal(queries)
	if err := os.WriteFile(qf, qj, 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := writeExport(t, ix)
	var got []struct {
		Query   string   `json:"query"`
		Hits    int      `json:"hits"`
		Files   []string `json:"files"`
		Raw     int      `json:"raw"`
		Gz      int      `json:"gz"`
		Ms      float64  `json:"ms"`
		ExFiles int      `json:"excerptFiles"`
		ExGz    int      `json:"excerptGz"`
	}
	if err := json.Unmarshal(runNode(t, "bytes", clientJS, outDir, qf), &got); err != nil {
		t.Fatal(err)
	}
	labels := []string{"rare word", fmt.Sprintf("word in %d of %d docs", commonDF, len(docs)), "3-letter prefix"}
	for i, g := range got {
		report("first query, %s %q: %d files (%s), %.1f KB raw, %.1f KB gz index + %.1f KB gz client, %d hits, %.1f ms in Node; their excerpts: %d more files, %.1f KB gz",
			labels[i], strings.TrimSpace(g.Query), len(g.Files), strings.Join(g.Files, " "), float64(g.Raw)/1024,
			float64(g.Gz)/1024, float64(gzipLen(clientRaw))/1024, g.Hits, g.Ms, g.ExFiles, float64(g.ExGz)/1024)
	}

	// Warm latency of the client in Node over the parity query mix.
	qs := queryMix(docs, 3)
	qj, _ = json.Marshal(qs)
	if err := os.WriteFile(qf, qj, 0o644); err != nil {
		t.Fatal(err)
	}
	var lj struct {
		N                int
		Median, P95, Max float64
	}
	if err := json.Unmarshal(runNode(t, "latency", clientJS, outDir, qf), &lj); err != nil {
		t.Fatal(err)
	}
	report("client query latency in Node (warm, %d mixed queries): median %.2f ms, p95 %.2f ms, max %.1f ms", lj.N, lj.Median, lj.P95, lj.Max)

	// Latency with Bleve in Go, over the parity query mix (for reference).
	var lat []time.Duration
	for _, q := range qs {
		t0 := time.Now()
		if _, err := ix.Search(q, 10); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	report("Bleve Search over %d mixed queries: median %v, p95 %v", len(lat), lat[len(lat)/2], lat[len(lat)*95/100])
}

// fileKind is the kind of an exported file: "index", or the letter of
// its kind (search/p3/812.js is "p").
func fileKind(pth string) string {
	name := strings.TrimPrefix(pth, Dir)
	if name == "index.js" {
		return "index"
	}
	return name[:1]
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
