package serve

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gen-site/gen/generator"
)

func TestInjectScript(t *testing.T) {
	for in, want := range map[string]string{
		"<html><body><p>x</p></body></html>": "<html><body><p>x</p>" + scriptTag + "</body></html>",
		"<p>no body</p>":                     "<p>no body</p>" + scriptTag,
		"<body><pre></body></pre></body>":    "<body><pre></body></pre>" + scriptTag + "</body>",
	} {
		if got := string(injectScript([]byte(in))); got != want {
			t.Errorf("injectScript(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSiteLive checks that only a live Site adds the script, and only to
// HTML pages.
func TestSiteLive(t *testing.T) {
	s := NewSite([]generator.File{{Path: "index.html", Data: []byte("<body></body>")}, {Path: "a.css", Data: []byte("</body>")}})
	get := func(p string) string {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		return w.Body.String()
	}
	if strings.Contains(get("/"), scriptTag) {
		t.Error("a Site not made for live reload got the script")
	}
	s.live = true
	if !strings.Contains(get("/"), scriptTag) || strings.Contains(get("/a.css"), scriptTag) {
		t.Errorf("live site: / = %q, /a.css = %q", get("/"), get("/a.css"))
	}
}

func TestChange(t *testing.T) {
	tests := []struct {
		name             string
		changed, removed []string
		assetOnly        []string
		want             Change
	}{
		{"a page", []string{"notes/a.html", "sitemap.xml"}, nil, nil,
			Change{Pages: []string{"/notes/a.html"}}},
		{"a stylesheet", []string{"assets/style.bbbbbbbb.css", "index.html", "notes/a.html"}, []string{"assets/style.aaaaaaaa.css"},
			[]string{"index.html", "notes/a.html"},
			Change{Pages: []string{}, CSS: map[string]string{"/assets/style.aaaaaaaa.css": "/assets/style.bbbbbbbb.css"}}},
		{"a stylesheet and a page", []string{"assets/style.bbbbbbbb.css", "index.html", "notes/a.html"}, []string{"assets/style.aaaaaaaa.css"},
			[]string{"index.html"},
			Change{Pages: []string{"/notes/a.html"}, CSS: map[string]string{"/assets/style.aaaaaaaa.css": "/assets/style.bbbbbbbb.css"}}},
		{"a script", []string{"assets/gen.bbbbbbbb.js", "index.html"}, []string{"assets/gen.aaaaaaaa.js"}, []string{"index.html"},
			Change{Pages: []string{"/index.html"}}},
		{"a page gone", nil, []string{"notes/b.html"}, nil, Change{Pages: []string{"/notes/b.html"}}},
	}
	for _, tt := range tests {
		only := map[string]bool{}
		for _, p := range tt.assetOnly {
			only[p] = true
		}
		if got := change(tt.changed, tt.removed, only); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestHubError checks that a browser that connects while the build is
// broken is told at once, and that a good build clears it.
func TestHubError(t *testing.T) {
	h := newHub()
	srv := httptest.NewServer(h)
	defer srv.Close()
	h.failed("notes/a.md:3: front matter is not valid YAML")
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(want string) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case l := <-lines:
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				t.Fatalf("no %q", want)
			}
		}
	}
	expect(`event: builderror`)
	expect(`notes/a.md:3: front matter`)
	h.reload(Change{Pages: []string{"/notes/a.html"}})
	expect("event: ok")
	expect("event: reload")
	expect(`{"pages":["/notes/a.html"]}`)
}
