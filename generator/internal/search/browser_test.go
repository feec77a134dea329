package search_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen-site/gen/generator"
	"github.com/gen-site/gen/generator/internal/search"
)

// The policy the site promises to run under (netlify.toml): no inline
// script or style anywhere, scripts from the site only.
const testCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"

// parityCase is one corpus of the browser parity check: a page that can
// load the search engine, the queries, and Bleve's answers.
type parityCase struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Lazy says the page loads the engine only when its search box is
	// focused (a site page); otherwise the page loads search.js itself.
	Lazy    bool          `json:"lazy"`
	Queries []string      `json:"queries"`
	Want    [][]parityHit `json:"want"`
}

type parityHit struct {
	ID    string  `json:"id"`
	URL   string  `json:"url"`
	Score float64 `json:"score"`
}

// uiCase is one copy of the site the interface is tried on: served over
// HTTP under the strict CSP, and the offline bundle from file://.
type uiCase struct {
	Name string `json:"name"`
	Base string `json:"base"`
	Axe  string `json:"axe,omitempty"` // axe-core's URL, where the page may load it
}

// TestSearchBrowser opens built sites in headless Chromium and checks, with
// browsertest/search.mjs, that window.gen.search answers exactly as Bleve
// (Result.Search, Index.Search) on the bundled notes, on a 1,000-document
// synthetic corpus and on the 1,000 notes of the benchmark tool mkcorpus
// (seed 1) built as a site, for the fixed-seed query mix of the parity
// tests (top 10 ids in order, scores within 1e-9 relative); and that the
// search box and the search page work with the keyboard, over HTTP and
// from file://, on hostile queries too. Without chromium or the npm packages it skips,
// except in CI (browsertest/install.sh installs them).
func TestSearchBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	root := repoRoot(t)
	dir := filepath.Join(root, "browsertest")
	chromium := cmp.Or(os.Getenv("GEN_CHROMIUM"), "/usr/bin/chromium")
	missing := ""
	if _, err := os.Stat(chromium); err != nil {
		missing = chromium
	} else if _, err := exec.LookPath("node"); err != nil {
		missing = "node"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		missing = "browsertest/node_modules (npm ci)"
	}
	if missing != "" {
		msg := "no " + missing + ": run browsertest/install.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// The bundled notes, served over HTTP with the site's CSP.
	content := filepath.Join(root, "content")
	res, err := generator.Build(ctx, generator.Options{ContentDir: content, BaseURL: "/"})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Path] = f.Data
	}
	srv := httptest.NewServer(siteHandler(files, dir))
	defer srv.Close()

	// The same notes as an offline bundle, opened from file://.
	offline := filepath.Join(t.TempDir(), "bundle")
	ores, err := generator.Build(ctx, generator.Options{ContentDir: content, Offline: true})
	if err != nil {
		t.Fatalf("offline build: %v", err)
	}
	if err := generator.Write(offline, ores.Files); err != nil {
		t.Fatal(err)
	}

	notes := search.NotesCorpus(t)
	notesCase := parityCase{Name: "bundled notes", URL: srv.URL + "/notes/" + firstNote(t, files), Lazy: true,
		Queries: search.QueryMix(notes, 1)}
	for _, q := range notesCase.Queries {
		hits, err := res.Search(q, 10)
		if err != nil {
			t.Fatalf("Search(%.40q): %v", q, err)
		}
		notesCase.Want = append(notesCase.Want, toParity(hits))
	}

	// A 1,000-document corpus made from the notes' words (the parity
	// tests' generator), exported next to a bare page that loads search.js.
	synth := search.SynthCorpus(notes, 1000, 42)
	ix, err := search.Build(synth)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	synthDir := t.TempDir()
	sfiles, err := ix.Export()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sfiles {
		writeFile(t, filepath.Join(synthDir, filepath.FromSlash(f.Path)), f.Data)
	}
	engine, err := os.ReadFile(filepath.Join(root, "assets", "search", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(synthDir, "search.js"), engine)
	writeFile(t, filepath.Join(synthDir, "index.html"), []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>parity</title>`+
		`<script src="search.js" data-index="search/"></script></head><body><p>parity</p></body></html>`))
	synthCase := parityCase{Name: "synthetic 1,000", URL: fileURL(filepath.Join(synthDir, "index.html")),
		Queries: search.QueryMix(synth, 2)}
	for _, q := range synthCase.Queries {
		hits, err := ix.Search(q, 10)
		if err != nil {
			t.Fatalf("Search(%.40q): %v", q, err)
		}
		synthCase.Want = append(synthCase.Want, toParity(hits))
	}

	// The benchmark tool's 1,000-note corpus (../shared/bench/mkcorpus,
	// seed 1, ported in mkcorpus_test.go) built as a whole site and served
	// like the notes: the index, the entity pages and the queries' answers
	// are what `gen build` and `gen search` make of it.
	t0 := time.Now()
	mkDir := search.MkContent(t, t.TempDir(), 1000, 1)
	mres, err := generator.Build(ctx, generator.Options{ContentDir: mkDir, BaseURL: "/"})
	if err != nil {
		t.Fatalf("build of the mkcorpus notes: %v", err)
	}
	mfiles := map[string][]byte{}
	for _, f := range mres.Files {
		mfiles[f.Path] = f.Data
	}
	msrv := httptest.NewServer(siteHandler(mfiles, dir))
	defer msrv.Close()
	mkCase := parityCase{Name: "mkcorpus 1,000 notes", URL: msrv.URL + "/notes/" + firstNote(t, mfiles), Lazy: true,
		Queries: search.QueryMix(search.CorpusDir(t, filepath.Join(mkDir, "notes")), 5)}
	for _, q := range mkCase.Queries {
		hits, err := mres.Search(q, 10)
		if err != nil {
			t.Fatalf("Search(%.40q): %v", q, err)
		}
		mkCase.Want = append(mkCase.Want, toParity(hits))
	}
	t.Logf("mkcorpus: %d notes, %d pages, built and answered in %v", mres.Stats.Notes, mres.Stats.Pages, time.Since(t0))

	// What the interface test expects: the first result for an alias typo.
	top, err := res.Search("firehouse", 1)
	if err != nil || len(top) == 0 {
		t.Fatalf("no result for firehouse: %v", err)
	}
	cfg, _ := json.Marshal(map[string]any{
		"chromium": chromium,
		"parity":   []parityCase{notesCase, synthCase, mkCase},
		"ui": []uiCase{
			{Name: "http", Base: srv.URL + "/", Axe: srv.URL + "/__test/axe.min.js"},
			{Name: "file", Base: fileURL(offline) + "/"},
		},
		"note":      "notes/" + firstNote(t, files),
		"firehouse": top[0].URL,
	})
	cfgFile := filepath.Join(t.TempDir(), "config.json")
	writeFile(t, cfgFile, cfg)
	cmd := exec.CommandContext(ctx, "node", "search.mjs", cfgFile)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "{") {
			t.Log(line)
		}
	}
	if err != nil {
		t.Fatalf("browser search checks failed: %v", err)
	}
}

// siteHandler serves a built site from memory the way the host does: the
// site's CSP on every answer, 404.html for a missing file; and axe-core
// from browsertest/node_modules at /__test/axe.min.js.
func siteHandler(files map[string][]byte, browsertest string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" || p == "." {
			p = "index.html"
		}
		if p == "__test/axe.min.js" {
			http.ServeFile(w, r, filepath.Join(browsertest, "node_modules", "axe-core", "axe.min.js"))
			return
		}
		data, ok := files[p]
		status := http.StatusOK
		if !ok {
			data, status, p = files["404.html"], http.StatusNotFound, "404.html"
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(p)))
		w.Header().Set("Content-Security-Policy", testCSP)
		w.WriteHeader(status)
		_, _ = w.Write(data)
	})
}

func toParity(hits []search.Hit) []parityHit {
	out := make([]parityHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, parityHit{ID: h.ID, URL: h.URL, Score: h.Score})
	}
	return out
}

// firstNote is the first note page of a site, by name.
func firstNote(t *testing.T, files map[string][]byte) string {
	t.Helper()
	best := ""
	for p := range files {
		if strings.HasPrefix(p, "notes/") && strings.HasSuffix(p, ".html") && (best == "" || p < best) {
			best = p
		}
	}
	if best == "" {
		t.Fatal("no note page")
	}
	return strings.TrimPrefix(best, "notes/")
}

func fileURL(p string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
