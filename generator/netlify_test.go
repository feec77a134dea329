package generator

import (
	"bytes"
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/gen-site/gen/generator/internal/graph"
	"golang.org/x/net/html"
)

// netlifyConfig is the part of netlify.toml that gen depends on.
type netlifyConfig struct {
	Build struct {
		Command     string
		Publish     string
		Environment map[string]string
	}
	Headers []struct {
		For    string
		Values map[string]string
	}
}

// TestNetlifyConfig checks netlify.toml against a real build of the
// bundled notes: the publish folder is the one gen build writes, every
// header rule matches files of the site, and the Content-Security-Policy
// allows everything the pages load (so pages need no inline script,
// inline style or event handler).
func TestNetlifyConfig(t *testing.T) {
	var cfg netlifyConfig
	if _, err := toml.DecodeFile("../netlify.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Build.Publish != "public" || !strings.Contains(cfg.Build.Command, "--out "+cfg.Build.Publish) {
		t.Errorf("publish %q is not where the build command %q writes", cfg.Build.Publish, cfg.Build.Command)
	}
	if !strings.Contains(cfg.Build.Command, "./cmd/gen build") || !strings.Contains(cfg.Build.Command, "--base-url") {
		t.Errorf("build command %q does not build gen from source with the site's URL", cfg.Build.Command)
	}
	if v := cfg.Build.Environment["GO_VERSION"]; !strings.HasPrefix(v, "1.26") {
		t.Errorf("GO_VERSION = %q, want the Go of go.mod", v)
	}

	res, err := Build(context.Background(), Options{ContentDir: "../content", BaseURL: "https://notes.example/"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Files {
		paths = append(paths, "/"+f.Path)
	}
	csp := ""
	for _, h := range cfg.Headers {
		n := 0
		for _, p := range paths {
			if matchNetlify(h.For, p) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("header rule for %q matches no file of the site", h.For)
		}
		if v, ok := h.Values["Content-Security-Policy"]; ok {
			csp = v
		}
	}
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q allows inline code", csp)
	}
	// What the policy means for the pages: every script, stylesheet, image
	// and frame comes from the site, and nothing is inline.
	for _, f := range res.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				if n.Data == "script" && attr(n, "src") == "" && attr(n, "type") != "application/json" {
					t.Errorf("%s: inline script", f.Path)
				}
				if n.Data == "style" {
					t.Errorf("%s: inline <style>", f.Path)
				}
				for _, a := range n.Attr {
					if a.Key == "style" {
						t.Errorf("%s: style attribute on <%s>", f.Path, n.Data)
					}
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("%s: event handler %s on <%s>", f.Path, a.Key, n.Data)
					}
				}
				for _, k := range []string{"src", "href"} {
					v := attr(n, k)
					if v == "" || (n.Data == "a" && k == "href") || (n.Data == "link" && attr(n, "rel") == "canonical") {
						continue
					}
					if strings.Contains(v, "://") || strings.HasPrefix(v, "//") {
						t.Errorf("%s: <%s %s=%q> loads from elsewhere", f.Path, n.Data, k, v)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	// _redirects: every alias line leads to a page of the site.
	for _, f := range res.Files {
		if f.Path != "_redirects" {
			continue
		}
		for _, line := range strings.Split(string(f.Data), "\n") {
			fields := strings.Fields(line)
			if len(fields) != 3 || strings.HasPrefix(line, "#") {
				continue
			}
			to := strings.TrimPrefix(fields[1], "/")
			found := false
			for _, p := range paths {
				if p == "/"+to {
					found = true
				}
			}
			if !found {
				t.Errorf("_redirects: %s leads to %s, which is not a page of the site", fields[0], fields[1])
			}
		}
	}
}

// matchNetlify matches a Netlify header path pattern, where "*" matches
// any run of characters, slashes included.
func matchNetlify(pattern, p string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == p
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	rest := p[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(rest, part)
		}
		j := strings.Index(rest, part)
		if j < 0 {
			return false
		}
		rest = rest[j+len(part):]
	}
	return true
}

// TestMentionCounts counts the notes that mention each entity of the
// bundled notes' graph from its notes' mentions, run by run on every
// core, and from one flat list, note after note: the same counts.
func TestMentionCounts(t *testing.T) {
	res, err := Build(context.Background(), Options{ContentDir: "../content"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	if g.NoteMentions == nil {
		t.Fatal("the graph has no mentions by note")
	}
	flat := &graph.Graph{}
	for m := range g.EachMention() {
		flat.Mentions = append(flat.Mentions, *m)
	}
	got, want := mentionCounts(g), mentionCounts(flat)
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("by note %v, flat %v", got, want)
	}
}
