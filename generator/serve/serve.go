// Package serve serves a built site from memory for live preview. It never
// reads the file system on a request: a URL is looked up in the set of files
// the last good build made, so no path can reach outside the site.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gen-site/gen/generator"
)

// Options controls Serve.
type Options struct {
	Build generator.Options
	Bind  string // address to listen on; "" means 127.0.0.1
	Port  int    // 0 picks a free port
	Log   io.Writer
	Ready func(url string) // called once the server listens
}

// Site is a set of files served from memory; it can be replaced while it
// is served.
type Site struct {
	mu    sync.RWMutex
	files map[string][]byte
}

// NewSite returns a Site serving files.
func NewSite(files []generator.File) *Site {
	s := &Site{}
	s.Replace(files)
	return s
}

// Replace swaps in a new set of files.
func (s *Site) Replace(files []generator.File) {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Path] = f.Data
	}
	s.mu.Lock()
	s.files = m
	s.mu.Unlock()
}

func (s *Site) lookup(p string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.files[p]
	return b, ok
}

// ServeHTTP answers GET and HEAD requests from the site's files: "/" and
// "/dir/" give index.html, and "/x" also finds "/x.html".
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := s.resolve(r.URL.Path)
	if !ok {
		body, _ := s.lookup("404.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
		return
	}
	body, _ := s.lookup(name)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

// resolve maps a URL path to a file of the site, or reports that none
// matches. Backslashes, NUL bytes and ".." never match anything: the
// lookup is in a map of clean relative paths.
func (s *Site) resolve(urlPath string) (string, bool) {
	if strings.ContainsAny(urlPath, "\\\x00") {
		return "", false
	}
	if !strings.HasPrefix(urlPath, "/") {
		urlPath = "/" + urlPath
	}
	for _, seg := range strings.Split(urlPath, "/") {
		if seg == ".." {
			return "", false
		}
	}
	p := strings.TrimPrefix(path.Clean(urlPath), "/")
	dir := strings.HasSuffix(urlPath, "/")
	candidates := []string{p}
	if p == "" || p == "." {
		candidates = []string{"index.html"}
	} else if dir {
		candidates = []string{p + "/index.html"}
	} else {
		candidates = append(candidates, p+".html", p+"/index.html")
	}
	for _, c := range candidates {
		if _, ok := s.lookup(c); ok {
			return c, true
		}
	}
	return "", false
}

// Serve builds the site and serves it until ctx is done.
func Serve(ctx context.Context, opts Options) error {
	start := time.Now()
	res, err := generator.Build(ctx, opts.Build)
	if err != nil {
		return err
	}
	// Warnings do not stop a preview, but they are why a page looks wrong.
	dir := opts.Build.ContentDir
	if dir == "" && opts.Build.Content == nil {
		dir = "content"
	}
	for _, d := range res.Diagnostics {
		logf(opts.Log, "%s\n", d.Format(strings.TrimSuffix(dir, "/")))
	}
	logf(opts.Log, "gen: %d notes → %d pages in %d ms\n", res.Stats.Notes, res.Stats.Pages, time.Since(start).Milliseconds())
	site := NewSite(res.Files)

	bind := opts.Bind
	if bind == "" {
		bind = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, fmt.Sprint(opts.Port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	host := bind
	if host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	url := fmt.Sprintf("http://%s/", net.JoinHostPort(host, fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)))
	if opts.Ready != nil {
		opts.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}
