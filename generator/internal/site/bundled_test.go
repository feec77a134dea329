package site_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator"
	"github.com/gen-site/gen/generator/internal/htmltest"
	"golang.org/x/net/html"
)

// TestBundledNotes builds the bundled notes and checks every page kind by
// structure: page counts, titles and headings, the parts of entity and
// comparison pages, mention links and line anchors on note pages, and that
// every internal link and anchor resolves.
func TestBundledNotes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bundled notes")
	}
	res, err := generator.Build(context.Background(), generator.Options{
		ContentDir: filepath.Join(repoRoot(t), "content"), BaseURL: "https://example.org/aws/"})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	files := map[string][]byte{}
	kinds := map[string]int{}
	for _, f := range res.Files {
		files[f.Path] = f.Data
		if strings.HasSuffix(f.Path, ".html") {
			k, _, ok := strings.Cut(f.Path, "/")
			if !ok {
				k = f.Path
			}
			kinds[k]++
		}
	}
	t.Logf("pages by kind: %v", kinds)
	for _, k := range []string{"index.html", "404.html", "graph.html", "services", "categories", "comparisons", "notes"} {
		if kinds[k] == 0 {
			t.Errorf("no %s pages", k)
		}
	}
	for _, f := range []string{"sitemap.xml", "robots.txt"} {
		if _, ok := files[f]; !ok {
			t.Errorf("no %s", f)
		}
	}

	docs := map[string]*html.Node{}
	doc := func(p string) *html.Node {
		if d, ok := docs[p]; ok {
			return d
		}
		d := htmltest.Parse(files[p])
		docs[p] = d
		return d
	}
	badges, tables, mentionLinks, anchors := 0, 0, 0, 0
	for p := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		d := doc(p)
		if htmltest.Text(htmltest.First(d, "title")) == "" || htmltest.First(d, "h1") == nil {
			t.Errorf("%s: no title or h1", p)
		}
		switch {
		case strings.HasPrefix(p, "services/"):
			badges += len(htmltest.Find(d, ".facts details.badge summary"))
		case strings.HasPrefix(p, "comparisons/"):
			if len(htmltest.Find(d, "table.cmp thead th")) < 3 || len(htmltest.Find(d, "table.cmp tbody tr")) == 0 {
				t.Errorf("%s: the table has too few columns or no rows", p)
			}
			tables++
		case strings.HasPrefix(p, "notes/"):
			mentionLinks += len(htmltest.Find(d, ".note-body a.el[data-e]"))
			anchors += len(htmltest.Find(d, "span.ln"))
		}
		// Every internal link and anchor resolves.
		for _, r := range htmltest.Refs(d) {
			target, ok := htmltest.Resolve(p, r.URL, "/aws/")
			if !ok {
				continue
			}
			if strings.HasPrefix(target, "search.html") {
				continue // made by the search stage
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s: %q: no %s", p, r.URL, target)
				continue
			}
			if _, frag, ok := strings.Cut(r.URL, "#"); ok && strings.HasSuffix(target, ".html") {
				if htmltest.First(doc(target), "#"+frag) == nil {
					t.Errorf("%s: %q: no #%s in %s", p, r.URL, frag, target)
				}
			}
		}
	}
	t.Logf("%d fact badges, %d comparison tables, %d mention links, %d line anchors", badges, tables, mentionLinks, anchors)
	if badges == 0 || mentionLinks == 0 || anchors == 0 {
		t.Errorf("entity pages or note pages lack their parts")
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "link" {
			t.Errorf("%v", d)
		}
	}
}
