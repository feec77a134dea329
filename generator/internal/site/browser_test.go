package site_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"github.com/BurntSushi/toml"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gen-site/gen/generator"
	"github.com/gen-site/gen/generator/internal/graph"
)

// TestBrowser builds the bundled notes, serves the site and runs
// browsertest/run.mjs on it in Debian's chromium: page loads at 375 and
// 1280 px without console errors, axe-core, click-through, hover previews,
// the graph's interactions and screenshots. Without chromium or the npm
// packages it skips, except in CI (CI=true), where it fails:
// browsertest/install.sh installs both.
func TestBrowser(t *testing.T) {
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
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "axe-core")); err != nil {
		missing = "browsertest/node_modules/axe-core (npm ci)"
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
	res, err := generator.Build(ctx, generator.Options{ContentDir: filepath.Join(root, "content"), BaseURL: "/"})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	// The pages are served under the Content-Security-Policy that
	// netlify.toml gives the hosted site, so a violation shows here.
	var netlify struct {
		Headers []struct {
			For    string
			Values map[string]string
		}
	}
	if _, err := toml.DecodeFile(filepath.Join(root, "netlify.toml"), &netlify); err != nil {
		t.Fatal(err)
	}
	csp := ""
	for _, h := range netlify.Headers {
		if v, ok := h.Values["Content-Security-Policy"]; ok {
			csp = v
		}
	}
	if csp == "" {
		t.Fatal("netlify.toml sets no Content-Security-Policy")
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Path] = f.Data
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" || p == "." {
			p = "index.html"
		}
		if p == "__test/axe.min.js" {
			// axe-core is injected from the same origin: the site's CSP
			// rightly refuses an inline copy.
			http.ServeFile(w, r, filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
			return
		}
		data, ok := files[p]
		status := http.StatusOK
		if !ok {
			data, status, p = files["404.html"], http.StatusNotFound, "404.html"
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(p)))
		// The policy the site promises to run under (issue 8): no inline
		// script or style anywhere.
		w.Header().Set("Content-Security-Policy", csp)
		w.WriteHeader(status)
		_, _ = w.Write(data)
	}))
	defer srv.Close()

	pages, service := pagesToVisit(t, files, res.Graph)
	shots := os.Getenv("GEN_SHOTS")
	if shots == "" {
		shots, err = os.MkdirTemp("", "gen-shots-")
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := json.Marshal(map[string]any{"base": srv.URL + "/", "shots": shots, "pages": pages,
		"service": service, "chromium": chromium})
	cfgFile := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfgFile, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "node", "run.mjs", cfgFile)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "{") { // the JSON report is long; its summary is the line before
			t.Log(line)
		}
	}
	t.Logf("screenshots: %s", shots)
	if err != nil {
		t.Fatalf("browser checks failed: %v", err)
	}
}

type visit struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// pagesToVisit picks one page of each kind. The service is the one with
// the most facts among those in a comparison, so that every part of an
// entity page is there to check.
func pagesToVisit(t *testing.T, files map[string][]byte, g *graph.Graph) ([]visit, string) {
	t.Helper()
	first := func(prefix string) string {
		var ps []string
		for p := range files {
			if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, ".html") {
				ps = append(ps, p)
			}
		}
		slices.Sort(ps)
		if len(ps) == 0 {
			t.Fatalf("no page under %s", prefix)
		}
		return ps[0]
	}
	facts := map[string]int{}
	for _, f := range g.Facts {
		facts[f.Entity]++
	}
	service, comparison := "", ""
	for _, c := range g.Comparisons {
		for _, e := range c.Entities {
			if service == "" || facts[e] > facts[service] {
				service, comparison = e, c.ID
			}
		}
	}
	if service == "" {
		t.Fatal("the bundled notes have no comparison")
	}
	category := first("categories/")
	for _, e := range g.Entities {
		if e.ID == service && e.Category != "" {
			category = "categories/" + e.Category + ".html"
		}
	}
	// A topic too large for its entity's page has a page of its own.
	topic := ""
	for p := range files {
		if strings.Count(p, "/") == 2 && strings.HasPrefix(p, "services/") && (topic == "" || p < topic) {
			topic = p
		}
	}
	if topic == "" {
		t.Fatal("the bundled notes have no topic page")
	}
	return []visit{
		{"home", "index.html"},
		{"category", category},
		{"service", "services/" + service + ".html"},
		{"topic", topic},
		{"comparison", "comparisons/" + comparison + ".html"},
		{"note", first("notes/")},
		{"graph", "graph.html"},
		{"404", "404.html"},
	}, service
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
