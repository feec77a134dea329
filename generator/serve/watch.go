package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions controls Watch.
type WatchOptions struct {
	// Debounce is how long the folders must stay quiet before a batch of
	// changes is delivered: an editor's save is often several events (a
	// temporary file, a rename, a write), and a burst of saves should make
	// one rebuild. 0 means 10 ms: the events of one save (vim's probe,
	// backup and write; a temporary file renamed over the note) come
	// within a millisecond or two of each other, and a late one only
	// makes a second rebuild, which costs far less than waiting longer
	// after every save.
	Debounce time.Duration
	// MaxDelay bounds how long a batch waits while changes keep coming;
	// 0 means 1 s.
	MaxDelay time.Duration
	// Poll, when not 0, looks at every file's size and modification time
	// at this interval instead of asking the kernel for events: network
	// mounts and some containers send none.
	Poll time.Duration
	// Errors receives problems with the watch itself; nil drops them.
	Errors func(error)
}

// Watch delivers the files that changed under roots, a batch at a time,
// until ctx is done; then it closes the channel. Roots need not exist yet:
// a folder made later is watched from then on, and so is every folder
// made inside a watched one. Paths are the changed files or folders as
// found under the roots; the editors' own files (backups, swap files,
// vim's "4913" probe) are left out.
func Watch(ctx context.Context, roots []string, opts WatchOptions) (<-chan []string, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = 10 * time.Millisecond
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = time.Second
	}
	raw := make(chan string, 256)
	if opts.Poll > 0 {
		p := newPoller(roots)
		go p.run(ctx, opts.Poll, raw)
	} else {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			return nil, err
		}
		nw := &notifyWatcher{w: w, roots: roots, watched: map[string]bool{}, errs: opts.Errors}
		nw.addRoots()
		go nw.run(ctx, raw)
	}
	out := make(chan []string)
	go batch(ctx, raw, out, opts.Debounce, opts.MaxDelay)
	return out, nil
}

// batch gathers paths from raw and sends them on out once raw has been
// quiet for debounce, or maxDelay after the first of them. While the
// receiver is busy (a rebuild), batches that become ready are merged, so
// that events are never left unread.
func batch(ctx context.Context, raw <-chan string, out chan<- []string, debounce, maxDelay time.Duration) {
	defer close(out)
	pending := map[string]bool{}
	ready := map[string]bool{}
	var quiet, deadline <-chan time.Time
	var quietTimer *time.Timer
	for {
		var send chan<- []string
		var paths []string
		if len(ready) > 0 {
			send = out
			paths = make([]string, 0, len(ready))
			for p := range ready {
				paths = append(paths, p)
			}
			slices.Sort(paths)
		}
		select {
		case <-ctx.Done():
			return
		case p, ok := <-raw:
			if !ok {
				return
			}
			if len(pending) == 0 {
				deadline = time.After(maxDelay)
			}
			pending[p] = true
			if quietTimer != nil {
				quietTimer.Stop()
			}
			quietTimer = time.NewTimer(debounce)
			quiet = quietTimer.C
		case <-quiet:
			quiet, deadline = nil, nil
			for p := range pending {
				ready[p] = true
			}
			pending = map[string]bool{}
		case <-deadline:
			quiet, deadline = nil, nil
			for p := range pending {
				ready[p] = true
			}
			pending = map[string]bool{}
		case send <- paths:
			ready = map[string]bool{}
		}
	}
}

// editorFile reports whether a file name is one that editors make beside
// the file they save: backups ("x.md~", "#x.md#"), swap files
// (".x.md.swp"), lock files (".#x.md") and vim's "4913" write probe.
func editorFile(name string) bool {
	switch {
	case name == "4913", strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasPrefix(name, ".#"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, ".tmp"), strings.HasPrefix(name, ".goutputstream-"):
		return true
	}
	return false
}

// notifyWatcher turns fsnotify's events into changed paths. fsnotify
// watches one folder at a time, so every folder under the roots is added,
// and each one made later as soon as its event comes.
type notifyWatcher struct {
	w       *fsnotify.Watcher
	roots   []string
	watched map[string]bool
	errs    func(error)
}

func (nw *notifyWatcher) addRoots() {
	for _, r := range nw.roots {
		if !nw.addTree(r) {
			// Not there yet: the nearest existing parent says when it is.
			nw.add(existingParent(r))
		}
	}
}

// addTree watches dir and every folder under it (following links to
// folders, as a notes folder may be one); it reports whether dir exists.
func (nw *notifyWatcher) addTree(dir string) bool {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	nw.add(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		nw.report(err)
		return true
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if e.IsDir() || e.Type()&fs.ModeSymlink != 0 {
			nw.addTree(p)
		}
	}
	return true
}

func (nw *notifyWatcher) add(dir string) {
	if dir == "" || nw.watched[dir] {
		return
	}
	if err := nw.w.Add(dir); err != nil {
		nw.report(err)
		return
	}
	nw.watched[dir] = true
}

func (nw *notifyWatcher) report(err error) {
	if nw.errs != nil {
		nw.errs(err)
	}
}

// inRoots reports whether p is a root or under one.
func (nw *notifyWatcher) inRoots(p string) bool {
	for _, r := range nw.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (nw *notifyWatcher) run(ctx context.Context, raw chan<- string) {
	defer nw.w.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-nw.w.Errors:
			if !ok {
				return
			}
			nw.report(err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: every root counts as changed, which
				// makes the builder look at each of its files.
				for _, r := range nw.roots {
					select {
					case raw <- r:
					case <-ctx.Done():
						return
					}
				}
			}
		case ev, ok := <-nw.w.Events:
			if !ok {
				return
			}
			p := filepath.Clean(ev.Name)
			if ev.Has(fsnotify.Create) {
				// A root made later, or a folder made (or moved) into a
				// watched one: watch it and all it holds.
				for _, r := range nw.roots {
					if p == r || strings.HasPrefix(r, p+string(filepath.Separator)) {
						nw.addRoots()
					}
				}
				if nw.inRoots(p) {
					nw.addTree(p)
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				delete(nw.watched, p) // the kernel drops the watch of a removed folder
			}
			if !nw.inRoots(p) || editorFile(filepath.Base(p)) || ev.Op == fsnotify.Chmod {
				continue
			}
			select {
			case raw <- p:
			case <-ctx.Done():
				return
			}
		}
	}
}

func existingParent(p string) string {
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return ""
		}
		if fi, err := os.Stat(parent); err == nil && fi.IsDir() {
			return parent
		}
		p = parent
	}
}

// poller finds changes by comparing each file's size and modification
// time with the last look.
type poller struct {
	roots []string
	seen  map[string]fileStamp
}

type fileStamp struct {
	size  int64
	mtime time.Time
}

func newPoller(roots []string) *poller {
	p := &poller{roots: roots}
	p.seen = p.look()
	return p
}

func (p *poller) look() map[string]fileStamp {
	m := map[string]fileStamp{}
	var walk func(dir string)
	walk = func(dir string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || editorFile(e.Name()) {
				continue
			}
			q := filepath.Join(dir, e.Name())
			fi, err := os.Stat(q) // follows links, as a notes folder may be one
			if err != nil {
				continue
			}
			if fi.IsDir() {
				walk(q)
				continue
			}
			m[q] = fileStamp{fi.Size(), fi.ModTime()}
		}
	}
	for _, r := range p.roots {
		walk(r)
	}
	return m
}

func (p *poller) run(ctx context.Context, every time.Duration, raw chan<- string) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := p.look()
		var changed []string
		for q, s := range now {
			if old, ok := p.seen[q]; !ok || old.size != s.size || !old.mtime.Equal(s.mtime) {
				changed = append(changed, q)
			}
		}
		for q := range p.seen {
			if _, ok := now[q]; !ok {
				changed = append(changed, q)
			}
		}
		p.seen = now
		for _, q := range changed {
			select {
			case raw <- q:
			case <-ctx.Done():
				return
			}
		}
	}
}
