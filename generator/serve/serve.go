// Package serve serves a built site from memory for live preview. It never
// reads the file system on a request: a URL is looked up in the set of files
// the last good build made, so no path can reach outside the site.
//
// Serve watches the site's folders (watch.go: fsnotify, or polling),
// rebuilds with a generator.Builder after each batch of changes, and tells
// the open pages what changed over Server-Sent Events (live.go), so that a
// page whose HTML changed reloads at the same scroll position, a new
// stylesheet is swapped in place, and a failed build shows its errors over
// the page while the last good site stays served.
package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	// Watch says how changes to the site's files are found; they are not
	// watched when Build.Content is set.
	Watch WatchOptions
	// CacheFile, when set, is the file of the note cache
	// (generator.Builder.UseCache): the preview starts from it, and
	// writes it in the background once the author pauses with the search
	// index up to date, and when it stops.
	CacheFile string
}

// Site is a set of files served from memory; it can be replaced while it
// is served.
type Site struct {
	mu    sync.RWMutex
	files map[string][]byte
	live  bool // HTML pages get the live reload script
	// searchPending says the search index is being made: until
	// UpdateSearch, its entry file tells the page's search so.
	searchPending bool
	// last is the list of files of the last Update: a build lists its
	// files in the same order each time, and a file at the same place
	// with the same path and the same bytes in memory is unchanged
	// without a look at the map.
	last []generator.File
	// later makes a page that the build left unmade (an HTML file with
	// nil bytes: generator.Builder.MakeLater) the first time it is asked
	// for, and keeps it in files.
	later func(path string) ([]byte, error)
}

// searchEntry is the search index's entry file, which the browser loads
// first; pendingEntry stands for it while the index is being made.
const searchEntry = "search/index.js"

var pendingEntry = []byte("window.__genSearch&&window.__genSearch.pending&&window.__genSearch.pending();\n")

// NewSite returns a Site serving files.
func NewSite(files []generator.File) *Site {
	s := &Site{}
	s.Replace(files)
	return s
}

// Replace swaps in a new set of files.
func (s *Site) Replace(files []generator.File) {
	s.Update(files)
}

// Update swaps in a new set of files and returns the paths of the files
// that are new or changed, and of those that are gone, sorted.
//
// The files' paths must differ from each other, as a build's do. The map
// of files is changed in place: a site of 10,000 notes has 30,000 files,
// and making the map anew after each edit cost more than rendering the
// pages the edit changed. Unchanged pages share their bytes with the last
// build, which makes most comparisons a pointer comparison.
func (s *Site) Update(files []generator.File) (changed, removed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = make(map[string][]byte, len(files))
	}
	for i, f := range files {
		if i < len(s.last) && s.last[i].Path == f.Path && sameBytes(s.last[i].Data, f.Data) {
			continue // what the map holds since the last Update
		}
		if o, ok := s.files[f.Path]; !ok || !bytes.Equal(o, f.Data) {
			changed = append(changed, f.Path)
			s.files[f.Path] = f.Data
		}
	}
	s.last = append(s.last[:0], files...)
	// The map now holds the old files and the new: some old ones are gone
	// when it holds more than files.
	if len(s.files) > len(files) {
		now := make(map[string]bool, len(files))
		for _, f := range files {
			now[f.Path] = true
		}
		for p := range s.files {
			if !now[p] {
				removed = append(removed, p)
				delete(s.files, p)
			}
		}
	}
	slices.Sort(changed)
	slices.Sort(removed)
	return changed, removed
}

// UpdateSearch swaps in the files of a search index made again: those
// under search/, the others as they are.
func (s *Site) UpdateSearch(files []generator.File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string][]byte, len(s.files)+len(files))
	for p, data := range s.files {
		if !strings.HasPrefix(p, "search/") {
			m[p] = data
		}
	}
	for _, f := range files {
		m[f.Path] = f.Data
	}
	s.files = m
	s.searchPending = false
	s.last = s.last[:0] // the map holds other bytes for the search files now
}

// sameBytes reports whether a and b are the same bytes in memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// lookup returns the file at p, made now if the build left it unmade.
func (s *Site) lookup(p string) ([]byte, bool, error) {
	s.mu.RLock()
	b, ok := s.files[p]
	later := s.later
	pending := s.searchPending
	s.mu.RUnlock()
	if ok && b == nil && later != nil && strings.HasSuffix(p, ".html") {
		data, err := later(p)
		return data, err == nil, err
	}
	if !ok && pending && p == searchEntry {
		return pendingEntry, true, nil
	}
	return b, ok, nil
}

// lookupMade returns the file at p if it is made.
func (s *Site) lookupMade(p string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.files[p]
	return b, b != nil
}

// has reports whether the site has a file at p, made or not.
func (s *Site) has(p string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.files[p]
	return ok || s.searchPending && p == searchEntry
}

// made keeps data as the bytes of the page at p, which the last Update
// left unmade, and returns them; a page made already keeps its bytes.
func (s *Site) made(p string, data []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.files[p]; ok && cur != nil {
		return cur
	}
	s.files[p] = data
	// The next Update must compare the page's bytes with the map's: if
	// its build leaves the page unmade again (it was gone in between),
	// the bytes made now are stale.
	for i := range s.last {
		if s.last[i].Path == p {
			s.last[i].Data = data
			break
		}
	}
	return data
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
		body, _, _ := s.lookup("404.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
		return
	}
	body, _, err := s.lookup(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if s.live && strings.HasSuffix(name, ".html") {
		body = injectScript(body)
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if compressible(ctype) && len(body) > 1024 && acceptsGzip(r) {
		// Hosts compress what they serve; so does the preview, so that it
		// loads as the published site does.
		w.Header().Set("Content-Encoding", "gzip")
		if r.Method == http.MethodGet {
			zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			_, _ = zw.Write(body)
			_ = zw.Close()
		}
		return
	}
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

// compressible reports whether a content type is text worth compressing.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "xml") || strings.Contains(ctype, "svg")
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
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
		if s.has(c) {
			return c, true
		}
	}
	return "", false
}

// Serve builds the site and serves it until ctx is done. Unless the
// content is a file system given in Options.Build.Content, it watches the
// site's folders, rebuilds what a change needs and has the browsers
// reload (see live.go). The first build must succeed; after that a failed
// build leaves the last good site served and shows its errors in the
// browser.
func Serve(ctx context.Context, opts Options) error {
	start := time.Now()
	dir := opts.Build.ContentDir
	if dir == "" && opts.Build.Content == nil {
		dir = "content"
	}
	dir = strings.TrimSuffix(dir, "/")
	// Listen first: with --port 0 the address is known only then, and it
	// is the site's base URL unless one was given, so that canonical links,
	// Open Graph URLs and the sitemap are absolute, as on the hosted site.
	// A browser that connects during the first build waits in the backlog.
	bind := opts.Bind
	if bind == "" {
		bind = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, fmt.Sprint(opts.Port)))
	if err != nil {
		return err
	}
	defer ln.Close()
	host := bind
	if host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	url := fmt.Sprintf("http://%s/", net.JoinHostPort(host, fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)))
	if opts.Build.BaseURL == "" {
		opts.Build.BaseURL = url
	}
	// A broken link is a warning while previewing: the page stays visible
	// while the author fixes it, and gen build still refuses it.
	opts.Build.BrokenLinksWarn = true
	b := generator.NewBuilder(opts.Build)
	// The search index is made once the pages are served: at 10,000
	// notes it costs as much as the rest of the first build. So are the
	// pages of notes, entities and comparisons, each the first time it
	// is asked for: an author opens a few of thousands.
	b.DeferSearch()
	b.MakeLater()
	restoreGC := func() {}
	if opts.CacheFile != "" {
		b.UseCache(opts.CacheFile)
		restoreGC = startCollector(b.CachedBytes(), os.Getenv("GOGC") != "")
	}
	res, _, err := b.Build(ctx, nil)
	restoreGC()
	if err != nil {
		return err
	}
	// Warnings do not stop a preview, but they are why a page looks wrong.
	for _, d := range res.Diagnostics {
		logf(opts.Log, "%s\n", d.Format(dir))
	}
	cached := ""
	if cs := b.CacheStats(); cs.Path != "" {
		if cs.Err != nil {
			logf(opts.Log, "gen: note cache: %v; every note is read afresh\n", cs.Err)
		}
		cached = fmt.Sprintf(" (%s of %d from the cache)", plural(cs.Hits, "note"), cs.Hits+cs.Misses)
	}
	logf(opts.Log, "gen: %d notes → %d pages in %d ms%s\n", res.Stats.Notes, res.Stats.Pages, time.Since(start).Milliseconds(), cached)
	site := NewSite(res.Files)
	site.live = true
	site.searchPending = true
	// buildMu keeps a page made on request from running beside a build,
	// which changes what the page is made from; a build and the Update
	// of the site with its files are one step under it. The search index
	// is no part of what a page is made from.
	var buildMu sync.Mutex
	site.later = func(p string) ([]byte, error) {
		buildMu.Lock()
		defer buildMu.Unlock()
		data, diags, ok := b.Page(p)
		if !ok {
			// Made by a build or a request since it was looked up.
			if data, ok := site.lookupMade(p); ok {
				return data, nil
			}
			// What the pages are made from is the last build's: one that
			// failed may have no such page, as its notes had errors.
			return nil, fmt.Errorf("%s is made once the build's errors are fixed", p)
		}
		var errs []string
		for _, d := range diags {
			logf(opts.Log, "%s\n", d.Format(dir))
			if d.Severity == generator.Error {
				errs = append(errs, d.Format(dir))
			}
		}
		if data == nil {
			return nil, errors.New(strings.Join(errs, "\n"))
		}
		return site.made(p, data), nil
	}
	h := newHub()

	// Watch before listening, so that no edit made once the URL is
	// printed goes unseen.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	var changes <-chan []string
	if roots := opts.Build.WatchRoots(); len(roots) > 0 {
		wo := opts.Watch
		if wo.Errors == nil {
			wo.Errors = func(err error) { logf(opts.Log, "gen: watch: %v\n", err) }
		}
		changes, err = Watch(watchCtx, roots, wo)
		if err != nil {
			return err
		}
	}

	mux := http.NewServeMux()
	mux.Handle(eventsPath, h)
	// Search answers from the index of the first build until one made
	// again after edits (see searchDelay) takes its place.
	var index atomic.Pointer[generator.SearchIndex]
	index.Store(res.SearchIndex())
	mux.Handle(SearchPath, SearchHandler(func(q string, limit int) ([]generator.SearchHit, error) {
		return index.Load().Search(q, limit)
	}))
	mux.HandleFunc(scriptPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(reloadJS)
	})
	mux.Handle("/", site)
	// Requests live in ctx, so that event streams, which never end by
	// themselves, end when the server stops.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	if opts.Ready != nil {
		opts.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// After edits the search index is made again in the background, once
	// the edits have paused for searchDelay, one job at a time. An edit
	// stops the job, which would slow its rebuild: the index is made when
	// the author pauses.
	searchTimer := time.After(0) // the first index, deferred from the first build
	searchDone := make(chan *generator.SearchIndex, 1)
	searching := false
	var searchStart time.Time
	searchMade := false
	stopSearch := func() {}
	defer func() { stopSearch() }()
	// The note cache is written by one job at a time, in the background
	// once the author has paused for saveDelay after the search index is
	// made, and stopped by an edit, whose rebuild must not share the
	// cores with it; the index made after the edit sets the timer again.
	// Each job is of what the Builder held when it was made, and one
	// older than the last written is skipped: jobs waiting on a lock are
	// not let in in order. Serve returns only once every job has ended,
	// as a job stopped part way would leave its temporary file behind; a
	// last job, which no edit stops, writes what is left at Ctrl-C.
	var (
		saveMu    sync.Mutex
		saves     sync.WaitGroup
		saveSeq   int // of the last job made, under buildMu
		savedSeq  int // of the last job written, under saveMu
		saveTimer <-chan time.Time
	)
	stopSave := func() {}
	saveCache := func(ctx context.Context) {
		buildMu.Lock()
		save := b.SaveCache()
		saveSeq++
		seq := saveSeq
		buildMu.Unlock()
		if save == nil {
			return
		}
		saves.Go(func() {
			saveMu.Lock()
			defer saveMu.Unlock()
			if seq < savedSeq {
				return
			}
			if err := save(ctx); err != nil {
				if ctx.Err() == nil {
					logf(opts.Log, "gen: note cache: %v\n", err)
				}
				return
			}
			savedSeq = seq
		})
	}
	// At Ctrl-C a write under way goes on (only an edit stops one), and
	// the last job, which no edit stops, has nothing left to write then.
	defer saves.Wait()
	defer saveCache(context.Background())
	for {
		select {
		case <-searchTimer:
			searchTimer = nil
			if searching {
				continue
			}
			job := b.SearchRefresh()
			if job == nil {
				continue
			}
			searching = true
			searchStart = time.Now()
			jobCtx, stop := context.WithCancel(ctx)
			stopSearch = stop
			go func() {
				s, err := job(jobCtx)
				if err != nil {
					if jobCtx.Err() == nil {
						logf(opts.Log, "gen: search index: %v\n", err)
					}
					s = nil
				}
				searchDone <- s
			}()
		case s := <-searchDone:
			searching = false
			stopSearch()
			if s != nil {
				b.SetSearch(s)
				site.UpdateSearch(s.Files)
				// The old index is closed once the searches that may be
				// reading it have had time to end: an open Bleve index
				// is never freed.
				if old := index.Swap(s); old != nil {
					time.AfterFunc(indexGrace, func() { _ = old.Close() })
				}
				h.searchChanged()
				again := " again"
				if !searchMade {
					again, searchMade = "", true
				}
				logf(opts.Log, "gen: search index made%s in %d ms\n", again, time.Since(searchStart).Milliseconds())
			}
			// The index is up to date: the note cache is written when the
			// author has paused a while longer, and not beside an index
			// still to make.
			if b.SearchRefresh() == nil {
				saveTimer = time.After(saveDelay)
			}
			if b.SearchRefresh() != nil && searchTimer == nil {
				searchTimer = time.After(searchDelay)
			}
		case <-saveTimer:
			saveTimer = nil
			stopSave()
			saveCtx, stop := context.WithCancel(context.Background())
			stopSave = stop
			saveCache(saveCtx)
		case <-ctx.Done():
			stopWatch()
			shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutdown)
			return nil
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case paths, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			stopSearch()
			stopSave()
			buildMu.Lock()
			stale := rebuild(ctx, b, site, h, paths, dir, opts.Log)
			buildMu.Unlock()
			// The cache is written after the next index, or, when there is
			// none to make, once the author pauses.
			saveTimer = nil
			if stale {
				searchTimer = time.After(searchDelay)
			} else if b.SearchRefresh() == nil {
				saveTimer = time.After(saveDelay)
			}
		}
	}
}

// indexGrace is how long a search index that was replaced stays open.
const indexGrace = 10 * time.Second

// saveDelay is how long the author must pause after the search index is
// made before the note cache is written: writing it takes seconds of a
// core on a large site.
const saveDelay = 3 * time.Second

// startCollector sets the garbage collector for a first build that reads
// note cache files of cached bytes, and returns the function that sets it
// back. Such a build decodes hundreds of thousands of small values and
// frees few: at 10,000 notes, the one collection it made, halfway, found
// 595 MB of 696 MB live, took 0.14 s of CPU and slowed the build while it
// ran. So the collector is off, under a memory limit of what such a build
// needs, startHeapPerByte for each byte of the files. A build that makes
// more than the files promised (a small cache of a site that has grown
// since) reaches the limit: the collection that makes there sets the
// collector back at once, as it would collect again and again at the
// limit otherwise. A target the user set (GOGC, userGOGC) stays, and so
// does a lower limit (GOMEMLIMIT).
func startCollector(cached int64, userGOGC bool) (restore func()) {
	if cached <= 0 || userGOGC {
		return func() {}
	}
	gc := debug.SetGCPercent(-1)
	if gc < 0 {
		return func() {}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	prev := debug.SetMemoryLimit(-1)
	debug.SetMemoryLimit(min(prev, int64(ms.Sys)+startHeapPerByte*cached))
	var once sync.Once
	restore = func() {
		once.Do(func() {
			debug.SetMemoryLimit(prev)
			debug.SetGCPercent(gc)
		})
	}
	// Nothing holds the sentinel: the first collection finds it gone and
	// runs its cleanup. It is too large for the allocator to pack it with
	// other small objects, whose cleanups may never run.
	sentinel := new([32]byte)
	runtime.AddCleanup(sentinel, func(struct{}) { restore() }, struct{}{})
	return restore
}

// startHeapPerByte is the memory that a first build from the note cache
// takes for each byte of the cache files: 1,260 MiB for the 129 MB of
// files of 10,000 notes, with the collector off, is 10; the limit leaves
// a fifth more.
const startHeapPerByte = 12

// searchDelay is how long edits must pause before the search index is made
// again: it takes seconds on a large site, and a burst of saves should
// make it once.
const searchDelay = time.Second

// rebuild builds the site again after a batch of changes, serves the new
// files and tells the browsers; a failed build leaves the site as it was
// and shows its errors. It reports whether the search index is now out of
// date.
func rebuild(ctx context.Context, b *generator.Builder, site *Site, h *hub, paths []string, dir string, log io.Writer) bool {
	start := time.Now()
	res, rb, err := b.Build(ctx, paths)
	if ctx.Err() != nil {
		return false
	}
	ms := time.Since(start).Milliseconds()
	if err != nil {
		var lines []string
		var be *generator.BuildError
		if errors.As(err, &be) {
			for _, d := range be.List {
				if d.Severity == generator.Error {
					lines = append(lines, d.Format(dir))
				}
			}
		} else {
			lines = append(lines, err.Error())
		}
		text := strings.Join(lines, "\n")
		logf(log, "%s\ngen: build failed in %d ms; still serving the last good build\n", text, ms)
		h.failed(text)
		return false
	}
	changed, removed := site.Update(res.Files)
	assetOnly := map[string]bool{}
	for _, p := range rb.AssetOnly {
		assetOnly[p] = true
	}
	c := change(changed, removed, assetOnly)
	h.reload(c)
	logf(log, "gen: rebuilt %s, %s (%d changed) in %d ms\n",
		plural(rb.Notes, "note"), plural(rb.Rendered, "page"), len(c.Pages), ms)
	return rb.SearchStale
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}
