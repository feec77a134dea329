package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gen-site/gen/generator"
)

var files = []generator.File{
	{Path: "index.html", Data: []byte("<h1>home</h1>")},
	{Path: "404.html", Data: []byte("<h1>not found</h1>")},
	{Path: "notes/x.html", Data: []byte("<h1>x</h1>")},
	{Path: "notes/dir/index.html", Data: []byte("<h1>dir</h1>")},
	{Path: "assets/style.1234abcd.css", Data: []byte("body{}")},
	{Path: "sitemap.xml", Data: []byte("<urlset/>")},
}

func TestSite(t *testing.T) {
	site := NewSite(files)
	tests := []struct {
		method, target string
		code           int
		body           string
		ctype          string
	}{
		{"GET", "/", 200, "<h1>home</h1>", "text/html"},
		{"GET", "/index.html", 200, "<h1>home</h1>", "text/html"},
		{"GET", "/notes/x.html", 200, "<h1>x</h1>", "text/html"},
		{"GET", "/notes/x", 200, "<h1>x</h1>", "text/html"},
		{"GET", "/notes/x?q=1#frag", 200, "<h1>x</h1>", "text/html"},
		{"GET", "/notes/dir/", 200, "<h1>dir</h1>", "text/html"},
		{"GET", "/notes/dir", 200, "<h1>dir</h1>", "text/html"},
		{"GET", "//notes/x.html", 200, "<h1>x</h1>", "text/html"},
		{"GET", "/notes/./x.html", 200, "<h1>x</h1>", "text/html"},
		{"GET", "/assets/style.1234abcd.css", 200, "body{}", "text/css"},
		{"GET", "/sitemap.xml", 200, "<urlset/>", "xml"},
		{"HEAD", "/notes/x", 200, "", "text/html"},
		{"GET", "/missing.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/x/", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/x.html/", 404, "<h1>not found</h1>", "text/html"},
		{"HEAD", "/missing", 404, "", "text/html"},
		// Nothing outside the site, nor any path with a .. in it, is served.
		{"GET", "/../index.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/../index.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/%2e%2e/index.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/%2E%2E/%2e%2e/etc/passwd", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/..", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes%2f..%2findex.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", `/notes\x.html`, 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes%5cx.html", 404, "<h1>not found</h1>", "text/html"},
		{"GET", `/..\..\etc\passwd`, 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/etc/passwd", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/notes/x.html%00.css", 404, "<h1>not found</h1>", "text/html"},
		{"GET", "/C:/Windows/win.ini", 404, "<h1>not found</h1>", "text/html"},
		{"POST", "/", 405, "method not allowed\n", "text/plain"},
		{"DELETE", "/notes/x.html", 405, "method not allowed\n", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://localhost"+tt.target, nil)
			w := httptest.NewRecorder()
			site.ServeHTTP(w, req)
			if w.Code != tt.code {
				t.Errorf("status %d, want %d", w.Code, tt.code)
			}
			if got := w.Body.String(); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tt.ctype)
			}
			if tt.code == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q, want GET, HEAD", w.Header().Get("Allow"))
			}
		})
	}
}

// TestSiteRawPaths sends request lines that an HTTP client would clean up
// first, as an attacker's tool would not.
func TestSiteRawPaths(t *testing.T) {
	srv := httptest.NewServer(NewSite(files))
	defer srv.Close()
	for _, target := range []string{
		"/../../../../etc/passwd",
		"/notes/../../index.html",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/..%2f..%2fetc%2fpasswd",
		`/..\..\etc\passwd`,
		"/..%5c..%5cetc%5cpasswd",
		"/notes/x.html/..",
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := io.ReadAll(conn)
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		status, _, _ := strings.Cut(string(resp), "\r\n")
		if !strings.Contains(status, " 404 ") && !strings.Contains(status, " 400 ") {
			t.Errorf("GET %s: %q, want 404 or 400", target, status)
		}
		if bytes.Contains(resp, []byte("root:")) || bytes.Contains(resp, []byte("<h1>home</h1>")) {
			t.Errorf("GET %s served a file:\n%s", target, resp)
		}
	}
}

func TestSiteReplace(t *testing.T) {
	site := NewSite(files)
	site.Replace([]generator.File{{Path: "index.html", Data: []byte("new")}})
	for target, want := range map[string]int{"/": 200, "/notes/x.html": 404} {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.Code != want {
			t.Errorf("after Replace, GET %s: %d, want %d", target, w.Code, want)
		}
	}

	// Replace while requests are served: the race detector checks this.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 100 {
				if i == 0 {
					site.Replace(files)
					continue
				}
				site.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/notes/x", nil))
			}
		})
	}
	wg.Wait()
}

// lockedBuffer is a bytes.Buffer that the server goroutine and the test
// can use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServe(t *testing.T) {
	content := fstest.MapFS{
		"notes/a.md":     {Data: []byte("# Alpha\n\nSee [b](b.md).\n")},
		"notes/b.md":     {Data: []byte("# Beta\n")},
		"notes/empty.md": {Data: nil},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log lockedBuffer
	base, done := startServe(ctx, t, Options{Build: generator.Options{Content: content}, Port: 0, Log: &log})
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") {
		t.Errorf("URL %q, want http://127.0.0.1:PORT/", base)
	}
	for target, want := range map[string]struct {
		code int
		text string
	}{
		"":             {200, "Alpha"},
		"notes/a":      {200, "Alpha"},
		"notes/b.html": {200, "Beta"},
		// With no base URL given, the preview's own address is the base:
		// canonical links are absolute, as on a hosted site.
		"notes/b":  {200, `<link rel="canonical" href="` + base + `notes/b.html">`},
		"notes/c":  {404, "Page not found"},
		"%2e%2e/x": {404, "Page not found"},
	} {
		resp, err := http.Get(base + target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want.code || !bytes.Contains(body, []byte(want.text)) {
			t.Errorf("GET /%s: %d, want %d and a page with %q", target, resp.StatusCode, want.code, want.text)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop when its context was cancelled")
	}
	if _, err := http.Get(base); err == nil {
		t.Errorf("the server still answers after Serve returned")
	}
	got := log.String()
	if !strings.Contains(got, "notes/empty.md: warning: note is empty\n") || !strings.Contains(got, "gen: 3 notes → ") {
		t.Errorf("log = %q, want the warning and the summary line", got)
	}
}

func TestServeErrors(t *testing.T) {
	bad := fstest.MapFS{"notes/a.md": {Data: []byte("---\ntitle: x\n  y: z\n---\n")}}
	err := Serve(context.Background(), Options{Build: generator.Options{Content: bad}, Ready: func(string) { t.Error("Ready called for a failed build") }})
	var be *generator.BuildError
	if !errors.As(err, &be) || be.List[0].Path != "notes/a.md" {
		t.Errorf("Serve of a bad site: %v, want a *BuildError naming notes/a.md", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	good := fstest.MapFS{"notes/a.md": {Data: []byte("# A\n")}}
	err = Serve(context.Background(), Options{Build: generator.Options{Content: good}, Port: port})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Serve on a port in use: %v, want an error", err)
	}
}

// TestServeSearchAfterEdit checks that after an edit the search index is
// made again in the background: /_gen/search finds the new word, and the
// files the browser's search loads hold it.
func TestServeSearchAfterEdit(t *testing.T) {
	dir := t.TempDir()
	note := filepath.Join(dir, "content/notes/a.md")
	writeFile(t, note, "# Alpha\n\nA note about streams.\n")
	writeFile(t, filepath.Join(dir, "content/notes/b.md"), "# Beta\n\nAnother note.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log lockedBuffer
	base, _ := startServe(ctx, t, Options{Build: generator.Options{ContentDir: filepath.Join(dir, "content")}, Log: &log,
		Watch: WatchOptions{Debounce: 20 * time.Millisecond}})
	hits := func(q string) string {
		resp, err := http.Get(base + "_gen/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	// The first index is made after the first build: until then the
	// handler says so and the entry file stands in for the index's.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "_gen/search?q=alpha")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "being made") {
			t.Fatalf("search before the index was made: %d %q", resp.StatusCode, body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first search index was never made; log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := hits("zanzibar"); got != "[]\n" {
		t.Fatalf("before the edit: %s", got)
	}
	writeFile(t, note, "# Alpha\n\nA note about streams and Zanzibar.\n")
	deadline = time.Now().Add(20 * time.Second)
	for !strings.Contains(hits("zanzibar"), "notes/a.html") {
		if time.Now().After(deadline) {
			t.Fatalf("the search never found the new word; log:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The browser's index files hold it too.
	found := false
	for i := 0; i < 50 && !found; i++ {
		resp, err := http.Get(fmt.Sprintf("%ssearch/p%d/%d.js", base, i/256, i))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			break
		}
		found = bytes.Contains(body, []byte(`"zanzibar"`))
	}
	if !found {
		t.Errorf("no postings shard holds the new word")
	}
	if !strings.Contains(log.String(), "gen: search index made again") {
		t.Errorf("log = %q, want the line of the new search index", log.String())
	}
}

// startServe runs Serve with opts until ctx ends, and returns the URL it
// serves at and the channel its result comes on.
func startServe(ctx context.Context, t *testing.T, opts Options) (string, <-chan error) {
	t.Helper()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	opts.Ready = func(u string) { urls <- u }
	go func() { done <- Serve(ctx, opts) }()
	select {
	case u := <-urls:
		return u, done
	case err := <-done:
		t.Fatalf("Serve ended before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not call Ready")
	}
	return "", done
}

// TestSiteSearchPending checks the stand-in for the search index's entry
// file: served while the index is being made, and never once it is there.
func TestSiteSearchPending(t *testing.T) {
	s := NewSite([]generator.File{{Path: "index.html", Data: []byte("<p>home</p>")}})
	if _, ok, _ := s.lookup(searchEntry); ok {
		t.Fatalf("an entry served by a site whose index is not being made")
	}
	s.searchPending = true
	if got, ok, _ := s.lookup(searchEntry); !ok || !bytes.Equal(got, pendingEntry) {
		t.Fatalf("while pending: %q, %v", got, ok)
	}
	if _, ok, _ := s.lookup("search/p0/0.js"); ok {
		t.Errorf("a shard served while pending")
	}
	s.UpdateSearch([]generator.File{{Path: searchEntry, Data: []byte("real")}})
	if got, _, _ := s.lookup(searchEntry); string(got) != "real" {
		t.Errorf("after the index came: %q", got)
	}
	s.UpdateSearch(nil)
	if _, ok, _ := s.lookup(searchEntry); ok {
		t.Errorf("the stand-in came back after an index was made")
	}
}

// TestServeLaterPages asks for every page of a site at once, from many
// clients, while a note is edited: the pages the first build left unmade
// are made on request, and once the edit is served every page is what a
// full build of the same notes makes. Run with -race, it checks that
// making a page on request and rebuilding after an edit never run
// together.
func TestServeLaterPages(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	cat, err := os.ReadFile("../../content/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(content, "catalog.yaml"), string(cat))
	const n = 24
	for i := range n {
		writeFile(t, filepath.Join(content, fmt.Sprintf("notes/n%02d.md", i)),
			fmt.Sprintf("# Note %d\n\n- Amazon S3 stores objects up to %d TB\n- See [the next](n%02d.md#note-%d)\n", i, i+1, (i+1)%n, (i+1)%n))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log lockedBuffer
	base, _ := startServe(ctx, t, Options{Build: generator.Options{ContentDir: content}, Log: &log,
		Watch: WatchOptions{Debounce: 10 * time.Millisecond}})
	get := func(p string) (int, []byte) {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				p := fmt.Sprintf("notes/n%02d.html", (i+c*3)%n)
				if code, body := get(p); code != http.StatusOK || !bytes.Contains(body, []byte(fmt.Sprintf("Note %d", (i+c*3)%n))) {
					t.Errorf("GET %s: %d %.80q", p, code, body)
				}
			}
			if code, _ := get("services/s3.html"); code != http.StatusOK {
				t.Errorf("GET services/s3.html: %d", code)
			}
		}()
	}
	writeFile(t, filepath.Join(content, "notes/n05.md"), "# Note 5\n\n- Amazon S3 stores objects up to 5 TB, edited\n")
	wg.Wait()
	// Once the edit is served, every page is the full build's.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, body := get("notes/n05.html"); bytes.Contains(body, []byte("edited")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit was never served; log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	full, err := generator.Build(ctx, generator.Options{ContentDir: content, BaseURL: base, BrokenLinksWarn: true})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, f := range full.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		pages++
		code, body := get(f.Path)
		if want := injectScript(f.Data); code != http.StatusOK || !bytes.Equal(body, want) {
			t.Errorf("GET %s: %d, not the full build's page", f.Path, code)
		}
	}
	if pages < n {
		t.Fatalf("the full build has %d pages", pages)
	}
}

// TestSiteMadeThenUnmade checks that a page made on request and then left
// unmade again by a build (its note was gone in between) is not served
// from the stale bytes: the next request makes it again.
func TestSiteMadeThenUnmade(t *testing.T) {
	files := []generator.File{{Path: "index.html", Data: []byte("home")}, {Path: "notes/a.html"}}
	s := NewSite(files)
	calls := 0
	s.later = func(p string) ([]byte, error) {
		calls++
		return s.made(p, []byte(fmt.Sprintf("made %d", calls))), nil
	}
	get := func() string {
		data, ok, err := s.lookup("notes/a.html")
		if !ok || err != nil {
			t.Fatalf("lookup: %v, %v", ok, err)
		}
		return string(data)
	}
	if got := get(); got != "made 1" {
		t.Fatalf("first request: %q", got)
	}
	if got := get(); got != "made 1" {
		t.Fatalf("second request: %q, want the page made by the first", got)
	}
	// The next build lists the page with the bytes made on request, as
	// its Renderer keeps them: nothing changed.
	if changed, _ := s.Update([]generator.File{files[0], {Path: "notes/a.html", Data: []byte("made 1")}}); len(changed) != 0 || get() != "made 1" {
		t.Fatalf("after the next build: changed %v, page %q", changed, get())
	}
	// A build that has the page made: its bytes replace the request's.
	changed, _ := s.Update([]generator.File{files[0], {Path: "notes/a.html", Data: []byte("built")}})
	if !slices.Equal(changed, []string{"notes/a.html"}) || get() != "built" {
		t.Fatalf("after a build that made it: changed %v, page %q", changed, get())
	}
	// A build that leaves it unmade again: made anew on request.
	changed, _ = s.Update(slices.Clone(files))
	if !slices.Equal(changed, []string{"notes/a.html"}) {
		t.Errorf("left unmade again: changed %v", changed)
	}
	if got := get(); got != "made 2" {
		t.Errorf("after it was left unmade again: %q", got)
	}
	// Made on request, then the same unmade page from the next build:
	// what was made stays stale no longer than that build.
	if changed, _ := s.Update(slices.Clone(files)); !slices.Equal(changed, []string{"notes/a.html"}) || get() != "made 3" {
		t.Errorf("a page made on request, then a build that leaves it unmade: changed %v, page %q", changed, get())
	}
}
