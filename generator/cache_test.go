package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// cachedBuild builds opts with a Builder that makes pages later and uses
// the note cache at path, asks for every page, and checks the pages, the
// graph, the diagnostics and the search index against a full build. It
// returns the Builder's cache stats, and saves the cache.
func cachedBuild(t *testing.T, step string, opts Options, path string) CacheStats {
	st, _ := cachedBuildSaved(t, step, opts, path)
	return st
}

// cachedBuildSaved is cachedBuild, and says whether there was anything
// to save.
func cachedBuildSaved(t *testing.T, step string, opts Options, path string) (CacheStats, bool) {
	t.Helper()
	ctx := context.Background()
	b := NewBuilder(opts)
	b.MakeLater()
	b.DeferSearch()
	b.UseCache(path)
	res, _, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	full, err := Build(ctx, opts)
	if err != nil {
		t.Fatalf("%s: full build: %v", step, err)
	}
	all, _ := askUnmade(t, step, b, res.Files)
	sameFiles(t, step, all, full.Files)

	gotGraph, _ := json.Marshal(res.Graph)
	wantGraph, _ := json.Marshal(full.Graph)
	if !bytes.Equal(gotGraph, wantGraph) {
		t.Errorf("%s: graph differs from a full build's:\n%s", step, firstDiff(gotGraph, wantGraph))
	}
	if !slices.Equal(res.Diagnostics, full.Diagnostics) {
		t.Errorf("%s: diagnostics\n%v\nwant\n%v", step, res.Diagnostics, full.Diagnostics)
	}
	if got, want := b.Repairs(), full.Repairs; !slices.Equal(got, want) {
		t.Errorf("%s: %d repairs, want %d", step, len(got), len(want))
	}

	// The search index, made from the notes' documents the cache kept.
	job := b.SearchRefresh()
	if job == nil {
		t.Fatalf("%s: no search job", step)
	}
	ix, err := job(ctx)
	if err != nil {
		t.Fatalf("%s: search: %v", step, err)
	}
	defer ix.Close()
	want := map[string][]byte{}
	for _, f := range full.Files {
		if strings.HasPrefix(f.Path, "search/") {
			want[f.Path] = f.Data
		}
	}
	if len(ix.Files) != len(want) {
		t.Errorf("%s: %d search files, want %d", step, len(ix.Files), len(want))
	}
	for _, f := range ix.Files {
		if !bytes.Equal(f.Data, want[f.Path]) {
			t.Errorf("%s: search file %s differs from a full build's", step, f.Path)
		}
	}

	st := b.CacheStats()
	save := b.SaveCache()
	if save != nil {
		if err := save(context.Background()); err != nil {
			t.Fatalf("%s: save: %v", step, err)
		}
	} else if st.Misses > 0 {
		t.Errorf("%s: %d notes made afresh, and nothing to save", step, st.Misses)
	}
	if b.SaveCache() != nil {
		t.Errorf("%s: a second save with nothing new", step)
	}
	return st, save != nil
}

// TestBuilderCache starts a preview again and again on the same notes,
// with a note cache: every note found in it is taken from it, and every
// page, the graph, the diagnostics and the search index are what a full
// build makes, when the notes, a note or the catalog changed, and when
// the file is broken or of another program.
func TestBuilderCache(t *testing.T) {
	t.Run("bundled notes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.cache")
		opts := Options{ContentDir: "../content", BaseURL: "http://127.0.0.1:1313/", BrokenLinksWarn: true}
		if st := cachedBuild(t, "no file", opts, path); st.Hits != 0 || st.Misses != 5 || st.Err != nil {
			t.Errorf("no file: %+v", st)
		}
		if st := cachedBuild(t, "from the file", opts, path); st.Hits != 5 || st.Misses != 0 || st.Merges == 0 || st.Err != nil {
			t.Errorf("from the file: %+v", st)
		}
	})

	s := newRebuildSite(t)
	path := filepath.Join(t.TempDir(), "sub", "notes.cache")
	n := 0
	for p := range s.content {
		if strings.HasPrefix(p, "notes/") {
			n++
		}
	}
	// The entities that have facts, and so a merge.
	full, err := Build(context.Background(), s.opts)
	if err != nil {
		t.Fatal(err)
	}
	withFacts := map[string]bool{}
	for _, f := range full.Graph.Facts {
		withFacts[f.Entity] = true
	}
	entities := len(withFacts)
	steps := []struct {
		name         string
		change       func()
		hits, misses int
		broken       bool
	}{
		{"no file", func() {}, 0, n, false},
		{"from the file", func() {}, n, 0, false},
		{"a note changed", func() { edit(t, s.content, "notes/kinesis.md", "24 hours", "7 days") }, n - 1, 1, false},
		{"a note added", func() { write(s.content, "notes/new.md", "# New\n\nS3 stores objects up to 5 TB\n") }, n, 1, false},
		{"a note deleted", func() { delete(s.content, "notes/new.md") }, n, 0, false},
		{"a note added again", func() { write(s.content, "notes/new.md", "# New\n\nS3 stores objects up to 5 TB\n") }, n, 1, false},
		{"the catalog changed", func() {
			edit(t, s.content, "catalog.yaml", "summary: Block volumes.", "summary: Block volumes for EC2.")
		}, 0, n + 1, false},
		{"truncated files", func() {
			changeFiles(t, path, func(data []byte) []byte { return data[:len(data)/2] })
		}, 0, n + 1, true},
		{"files of another program", func() {
			changeFiles(t, path, func(data []byte) []byte {
				// The stamp follows the magic line and its length.
				for _, prefix := range []string{"go build ID ", "sha256 "} {
					if i := bytes.Index(data, []byte(prefix)); i >= 0 {
						data[i+len(prefix)] ^= 1
						break
					}
				}
				return data
			})
		}, 0, n + 1, false},
		{"from the file again", func() {}, n + 1, 0, false},
		{"a broken merges file", func() {
			if err := os.WriteFile(mergesPath(path), []byte("broken"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, n + 1, 0, false},
		{"merges written again", func() {}, n + 1, 0, false},
	}
	for _, st := range steps {
		st.change()
		// The files' headers tell those that can be read from those of
		// another program, or none.
		pb := NewBuilder(s.opts)
		pb.MakeLater()
		pb.UseCache(path)
		size := pb.CachedBytes()
		if readable := st.hits > 0 || st.broken || st.name == "the catalog changed"; readable != (size > 0) {
			t.Errorf("%s: %d bytes of cache to read", st.name, size)
		}
		got, saved := cachedBuildSaved(t, st.name, s.opts, path)
		if got.Hits != st.hits || got.Misses != st.misses || (got.Err != nil) != st.broken {
			t.Errorf("%s: %d hits, %d misses, error %v; want %d, %d, error %v", st.name, got.Hits, got.Misses, got.Err, st.hits, st.misses, st.broken)
		}
		// Every entity's merge is taken from the file when no note
		// changed, some when one did, and none of another catalog's.
		switch {
		case st.name == "a broken merges file":
			// The notes are taken from their file, and the merges made
			// again and written for the next start.
			if got.Merges != 0 || !saved {
				t.Errorf("%s: %d merges taken, saved %v", st.name, got.Merges, saved)
			}
		case st.misses == 0 && got.Merges != entities:
			t.Errorf("%s: %d merges taken from the file, want all %d", st.name, got.Merges, entities)
		case st.hits == 0 && got.Merges != 0:
			t.Errorf("%s: %d merges taken from the file, want none", st.name, got.Merges)
		case st.name == "a note changed" && (got.Merges == 0 || got.Merges == entities):
			t.Errorf("%s: %d merges taken from the file of %d", st.name, got.Merges, entities)
		}
		// The file of a note deleted drops it; then the same note added
		// again is made afresh.
		if st.name == "a note deleted" && !saved {
			t.Errorf("%s: nothing saved", st.name)
		}
	}
}

// TestBuilderCacheCatalogStopped edits a note, then the catalog, and
// stops the build of the new catalog before it made any note again: the
// cache saved then must hold no note's entry of the old catalog as one of
// the new, or the next start shows the old catalog's links.
func TestBuilderCacheCatalogStopped(t *testing.T) {
	s := newRebuildSite(t)
	path := filepath.Join(t.TempDir(), "notes.cache")
	cachedBuild(t, "first", s.opts, path)

	b := NewBuilder(s.opts)
	b.MakeLater()
	b.UseCache(path)
	if _, _, err := b.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	edit(t, s.content, "notes/kinesis.md", "24 hours", "7 days")
	if _, _, err := b.Build(context.Background(), []string{"notes/kinesis.md"}); err != nil {
		t.Fatal(err)
	}
	edit(t, s.content, "catalog.yaml", "aliases: [S3, Simple Storage Service]", "aliases: [S3, Simple Storage Service, catalog]")
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := b.Build(stopped, []string{"catalog.yaml"}); err == nil {
		t.Fatal("a stopped build did not fail")
	}
	save := b.SaveCache()
	if save == nil {
		t.Fatal("nothing to save after an edit")
	}
	if err := save(context.Background()); err != nil {
		t.Fatal(err)
	}
	// cachedBuild checks every page and the graph against a full build.
	if st := cachedBuild(t, "after the stopped build", s.opts, path); st.Hits != 0 {
		t.Errorf("%d notes taken from the cache, made with the old catalog", st.Hits)
	}
}

// changeFiles rewrites the note cache's files of path, the notes' and the
// merges', with what change makes of their bytes.
func changeFiles(t *testing.T, path string, change func([]byte) []byte) {
	t.Helper()
	for _, p := range []string{path, mergesPath(path)} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, change(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBuilderCacheCatalogEdit edits the catalog in a preview started
// from the cache, and starts again: every note is made afresh once, and
// the next start from what that preview saved has every page, the graph
// and the search index of a full build, every note's documents included.
func TestBuilderCacheCatalogEdit(t *testing.T) {
	s := newRebuildSite(t)
	path := filepath.Join(t.TempDir(), "notes.cache")
	cachedBuild(t, "first", s.opts, path)
	ctx := context.Background()
	b := NewBuilder(s.opts)
	b.MakeLater()
	b.DeferSearch()
	b.UseCache(path)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	edit(t, s.content, "catalog.yaml", "summary: Block volumes.", "summary: Block volumes for EC2.")
	if _, _, err := b.Build(ctx, []string{"catalog.yaml"}); err != nil {
		t.Fatal(err)
	}
	save := b.SaveCache()
	if save == nil {
		t.Fatal("nothing to save after a catalog edit")
	}
	if err := save(ctx); err != nil {
		t.Fatal(err)
	}
	if st := cachedBuild(t, "after the catalog edit", s.opts, path); st.Misses != 0 {
		t.Errorf("after the catalog edit: %+v", st)
	}
}

// TestBuilderCacheSaveStopped stops a save part way: the file is as it
// was, and the next SaveCache gives a job again.
func TestBuilderCacheSaveStopped(t *testing.T) {
	s := newRebuildSite(t)
	path := filepath.Join(t.TempDir(), "notes.cache")
	b := NewBuilder(s.opts)
	b.MakeLater()
	b.UseCache(path)
	if _, _, err := b.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.SaveCache()(stopped); err == nil {
		t.Fatal("a stopped save did not fail")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a stopped save left %s: %v", path, err)
	}
	save := b.SaveCache()
	if save == nil {
		t.Fatal("no job after a stopped save")
	}
	if err := save(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b.SaveCache() != nil {
		t.Error("a job after the save")
	}
	if st := cachedBuild(t, "after the save", s.opts, path); st.Misses != 0 {
		t.Errorf("after the save: %+v", st)
	}
}

// TestBuilderCacheEdits edits notes after a build that took them from the
// cache: the rebuilds make what a full build makes, and the next start
// takes the edited notes from the file.
func TestBuilderCacheEdits(t *testing.T) {
	s := newRebuildSite(t)
	path := filepath.Join(t.TempDir(), "notes.cache")
	cachedBuild(t, "first", s.opts, path)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	b := NewBuilder(s.opts)
	b.MakeLater()
	b.UseCache(path)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	edit(t, s.content, "notes/queues.md", "256 KB", "256 KB\n- SQS has standard and FIFO queues")
	res, rb, err := b.Build(ctx, []string{"notes/queues.md"})
	if err != nil {
		t.Fatal(err)
	}
	if rb.Notes != 1 {
		t.Errorf("%d notes made again, want 1", rb.Notes)
	}
	full, err := Build(ctx, s.opts)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := askUnmade(t, "edit", b, res.Files)
	sameFiles(t, "edit", all, full.Files)
	save := b.SaveCache()
	if save == nil {
		t.Fatal("an edit, and nothing to save")
	}
	if err := save(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The entries taken from the file are saved as they were read: one
	// edit changes the file's size by little.
	if after, err := os.Stat(path); err != nil || after.Size() > before.Size()*21/20 || after.Size() < before.Size()*19/20 {
		t.Errorf("the file was %d bytes, and %v after one edit", before.Size(), after.Size())
	}
	if st := cachedBuild(t, "after the edit", s.opts, path); st.Misses != 0 {
		t.Errorf("after the edit: %+v", st)
	}
}

// TestPruneCaches saves a cache beside those of other content folders:
// one not written for longer than unusedAge goes, with its merges, and a
// recent one stays.
func TestPruneCaches(t *testing.T) {
	dir := t.TempDir()
	old, recent := filepath.Join(dir, "notes-old.cache"), filepath.Join(dir, "notes-recent.cache")
	other := filepath.Join(dir, "other.txt") // not a cache: never touched
	for _, p := range []string{old, mergesPath(old), recent, mergesPath(recent), other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-unusedAge - time.Hour)
	for _, p := range []string{old, mergesPath(old), other} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	s := newRebuildSite(t)
	path := filepath.Join(dir, "notes-this.cache")
	cachedBuild(t, "save", s.opts, path)
	for p, want := range map[string]bool{old: false, mergesPath(old): false, recent: true, mergesPath(recent): true, other: true, path: true, mergesPath(path): true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: there %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// TestBuildCached runs gen build's cached build again and again: every
// note found in the file is taken from it, and every file of the site,
// search index included, and the diagnostics are those Build makes.
func TestBuildCached(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, step string, opts Options, path string, hits, misses int) {
		t.Helper()
		res, st, save, err := BuildCached(ctx, opts, path)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if st.Hits != hits || st.Misses != misses || st.Err != nil {
			t.Errorf("%s: %d hits, %d misses, error %v; want %d and %d", step, st.Hits, st.Misses, st.Err, hits, misses)
		}
		if (save != nil) != (misses > 0) {
			t.Errorf("%s: a save job %v with %d notes made afresh", step, save != nil, misses)
		}
		if save != nil {
			if err := save(ctx); err != nil {
				t.Fatalf("%s: save: %v", step, err)
			}
		}
		full, err := Build(ctx, opts)
		if err != nil {
			t.Fatalf("%s: full build: %v", step, err)
		}
		got := map[string][]byte{}
		for _, f := range res.Files {
			got[f.Path] = f.Data
		}
		if len(res.Files) != len(full.Files) {
			t.Errorf("%s: %d files, want %d", step, len(res.Files), len(full.Files))
		}
		for _, f := range full.Files {
			if d, ok := got[f.Path]; !ok {
				t.Errorf("%s: %s missing", step, f.Path)
			} else if !bytes.Equal(d, f.Data) {
				t.Errorf("%s: %s differs from Build's:\n%s", step, f.Path, firstDiff(d, f.Data))
			}
		}
		if !slices.Equal(res.Diagnostics, full.Diagnostics) {
			t.Errorf("%s: diagnostics\n%v\nwant\n%v", step, res.Diagnostics, full.Diagnostics)
		}
		if res.Stats.Pages != full.Stats.Pages || res.Stats.Bytes != full.Stats.Bytes {
			t.Errorf("%s: %d pages, %d bytes; want %d, %d", step, res.Stats.Pages, res.Stats.Bytes, full.Stats.Pages, full.Stats.Bytes)
		}
	}
	t.Run("bundled notes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.cache")
		opts := Options{ContentDir: "../content"}
		check(t, "no file", opts, path, 0, 5)
		check(t, "from the file", opts, path, 5, 0)
	})
	t.Run("edits", func(t *testing.T) {
		s := newRebuildSite(t)
		path := filepath.Join(t.TempDir(), "notes.cache")
		n := 0
		for p := range s.content {
			if strings.HasPrefix(p, "notes/") {
				n++
			}
		}
		check(t, "no file", s.opts, path, 0, n)
		check(t, "from the file", s.opts, path, n, 0)
		edit(t, s.content, "notes/kinesis.md", "24 hours", "7 days")
		check(t, "a note changed", s.opts, path, n-1, 1)
		edit(t, s.content, "catalog.yaml", "summary: Block volumes.", "summary: Block volumes for EC2.")
		check(t, "the catalog changed", s.opts, path, 0, n)
	})
}
