package generator

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/notecache"
	"github.com/gen-site/gen/generator/internal/site"
	"github.com/gen-site/gen/generator/internal/source"
)

// cacheLayout names the layout of cacheEntry. The program's build ID is
// in every cache file's stamp, so a new build never reads an old file;
// the layout is there for builds of the same program that differ in
// nothing, such as one run with another GOFLAGS.
const cacheLayout = "entry 7"

// cacheEntry is what the note cache keeps of one note: what process
// makes of it, given its bytes, its path and id, and the catalog.
//
// The cleaned text is not kept: a note's page, the one thing that reads
// it after, cleans the note again when first made, and the text was a
// fifth of the file.
type cacheEntry struct {
	Extract *graph.NoteExtract
	Keys    []graph.FactKeys
	Prep    site.PreparedData
	// Docs are the note's search documents as encodeDocs writes them,
	// read when the search index is made (decodeDocs).
	Docs []byte
	// Warnings are those the note's repairs call for; the repairs are
	// made again if asked for (Builder.Repairs), as a preview shows none.
	Warnings diag.List
}

// noteCache is a Builder's note cache: a file of the notes' entries, and
// one beside it of what merging made of each entity (graph.EntityMerge).
type noteCache struct {
	path  string
	stamp string
	// read holds the file's entries until the first build has taken
	// what it needs of them; merges those of the entities' file.
	read   map[notecache.Key]*cacheEntry
	merges map[notecache.Key]*graph.EntityMerge
	// hits and misses count the notes of the first build found in the
	// file and made afresh. made counts the builds that changed what the
	// file is to hold, and written is made as of the last file a job of
	// SaveCache wrote: the file holds what the builds made when the two
	// are equal. count is how many entries the last job was given.
	hits, misses int
	made         int64
	written      atomic.Int64
	count        int
	reused       int  // the entities' merges the first build took
	reusing      bool // the Merger has them, for the next Merge
}

// CacheStats says how a Builder's note cache served its first build.
type CacheStats struct {
	Path         string
	Hits, Misses int
	// Merges is how many entities' merges the first build took from the
	// cache, for entities whose notes state the facts they were made of.
	Merges int
	// Err says why the cache file could not be read, when it could not:
	// every note was then made afresh.
	Err error
}

// UseCache has a Builder keep, in the file at path, what its builds make
// of each note (its extract, page data and search documents), and beside
// it what its merges make of each entity; its first build takes them from
// there for every note whose bytes, path and catalog are those the entry
// was made from, and every entity whose notes state the facts its merge
// was made of. A preview of 10,000 notes started again, or a gen build run
// again, does a fraction of the work. SaveCache writes the file. The file
// is read only by the build of the program that wrote it. A Builder with
// a cache keeps no note's tree, as one that makes pages later does not.
func (b *Builder) UseCache(path string) {
	b.cache = &noteCache{path: path, stamp: notecache.Self()}
	if b.cache.stamp == "" {
		b.cache = nil // no way to tell this program's files from others'
	}
}

// CachedBytes returns the size of the note cache files that the first
// Build would read, 0 when there are none of this build of gen: only
// their headers are read. A caller can tell by it how much the first
// build will take from the cache (about ten times as much memory as the
// files' size) and how little it will make afresh.
func (b *Builder) CachedBytes() int64 {
	c := b.cache
	if c == nil || b.builds > 0 || !b.render.Later {
		return 0
	}
	stamp := c.stamp + "\n" + cacheLayout
	n := notecache.Size(c.path, stamp)
	if n == 0 {
		return 0
	}
	return n + notecache.Size(mergesPath(c.path), stamp)
}

// CacheStats says how the note cache served the first build; the zero
// CacheStats when there is no cache.
func (b *Builder) CacheStats() CacheStats {
	if b.cache == nil {
		return CacheStats{}
	}
	return CacheStats{Path: b.cache.path, Hits: b.cache.hits, Misses: b.cache.misses, Merges: b.cache.reused, Err: b.cacheErr}
}

// readCache starts reading the cache file for the first build, while the
// build reads the notes, and returns a function that waits for it.
func (b *Builder) readCache() (wait func()) {
	c := b.cache
	if c == nil || c.read != nil || b.builds > 0 {
		return func() {}
	}
	notes := readLater(c.path, c.stamp+"\n"+cacheLayout, decodeEntry)
	merges := readLater(mergesPath(c.path), c.stamp+"\n"+cacheLayout, decodeMerge)
	return func() {
		var mergesErr error
		c.read, b.cacheErr = notes()
		c.merges, mergesErr = merges()
		// Nothing made since the file was read: it holds it all, until a
		// note is made afresh or goes. Merges lost (a broken file, or
		// none beside notes) cost only time: the next save writes them.
		c.count = len(c.read)
		if mergesErr != nil {
			c.made++
		}
	}
}

// readLater starts reading the cache file at path, on a goroutine of its
// own, and returns a function that waits for what notecache.Read returns.
func readLater[T any](path, stamp string, decode func([]byte) (T, error)) func() (map[notecache.Key]T, error) {
	type read struct {
		m   map[notecache.Key]T
		err error
	}
	done := make(chan read, 1)
	go func() {
		m, err := notecache.Read(path, stamp, decode)
		done <- read{m, err}
	}()
	return func() (map[notecache.Key]T, error) {
		r := <-done
		return r.m, r.err
	}
}

// mergesPath is the file of the entities' merges beside the notes' file.
func mergesPath(notes string) string { return notes + ".merges" }

// mergeKey is the key of an entity's merge in the merges' file: its id
// and the catalog, which a merge depends on besides the facts its key is
// of (graph.EntityMerge.Key).
func mergeKey(catalog [sha256.Size]byte, hasCat bool, entity string) notecache.Key {
	return keyOf(catalog[:], present(hasCat), []byte(entity))
}

// reuseMerges gives the Builder's Merger the merges of the cache's file
// made with the catalog as it is now, for its first Merge.
func (b *Builder) reuseMerges() {
	c := b.cache
	if c == nil || c.merges == nil {
		return
	}
	var ms []graph.EntityMerge
	for k, m := range c.merges {
		if k == mergeKey(b.catalog, b.hasCat, m.Entity) {
			ms = append(ms, *m)
		}
	}
	b.merger.Reuse(ms)
	c.merges = nil
	c.reusing = true
}

// cacheKey hashes what process makes a note's entry from, with the
// catalog as it is now: the note's bytes, path, id and slug, and the
// catalog's bytes.
func (b *Builder) cacheKey(n *source.Note) notecache.Key {
	return keyOf(n.Hash[:], []byte(n.Path), []byte(n.ID), []byte(n.Slug), b.catalog[:], present(b.hasCat))
}

// keyOf hashes fields, each with its length first, so that no two lists
// of fields hash alike.
func keyOf(fields ...[]byte) notecache.Key {
	h := sha256.New()
	var num [8]byte
	for _, f := range fields {
		binary.LittleEndian.PutUint64(num[:], uint64(len(f)))
		h.Write(num[:])
		h.Write(f)
	}
	var k notecache.Key
	h.Sum(k[:0])
	return k
}

// present is whether a file was there (the catalog), as a field of a key.
func present(there bool) []byte {
	if there {
		return []byte{1}
	}
	return []byte{0}
}

// fromCache fills e from the cache file's entry for it, if there is
// one, and reports whether there was.
func (b *Builder) fromCache(e *noteEntry) bool {
	c := b.cache
	if c == nil || c.read == nil {
		return false
	}
	k := b.cacheKey(e.note.Source)
	ce := c.read[k]
	if ce == nil || ce.Extract == nil || ce.Extract.Restore(ce.Keys) != nil {
		return false
	}
	// The entry stays as it is, to be saved again; the extract is not
	// changed after Extract or Restore, so the two may share its lists.
	ex := *ce.Extract
	e.note.Clean = nil
	e.note.Prep = site.PreparedFrom(ce.Prep)
	e.note.Doc = nil
	e.extract, e.docs, e.docsBlob, e.warnings = &ex, nil, ce.Docs, ce.Warnings
	e.repairs, e.repairsLater = nil, true
	e.cached, e.cacheKey = ce, k
	return true
}

// toCache makes e's cache entry from what process made of it, keyed by
// the catalog it was made with: the entry of a note not made again
// after a catalog edit (a build stopped part way) must not be saved as
// one of the new catalog.
func (b *Builder) toCache(e *noteEntry) {
	// The entry's extract is a copy: the Builder's is the Merger's. Their
	// lists are shared, as neither is changed after Extract.
	ex := *e.extract
	e.cached = &cacheEntry{Extract: &ex, Keys: e.extract.Keys(),
		Prep: e.note.Prep.Data(), Docs: encodeDocs(e.docs), Warnings: e.warnings}
	e.cacheKey = b.cacheKey(e.note.Source)
}

// SaveCache returns a job that writes the note cache with an entry for
// each note of the last build, or nil when there is no cache or the file
// already holds them. The job reads nothing the Builder changes after,
// so it may run while the Builder builds again; it stops with ctx's
// error, leaving the file as it was, and SaveCache then gives another
// job.
func (b *Builder) SaveCache() func(ctx context.Context) error {
	c := b.cache
	if c == nil || c.written.Load() >= c.made {
		return nil
	}
	entries := make(map[notecache.Key]*cacheEntry, len(b.notes))
	for _, e := range b.notes {
		if e.cached != nil {
			entries[e.cacheKey] = e.cached
		}
	}
	c.count = len(entries)
	merges := map[notecache.Key]*graph.EntityMerge{}
	// Of the catalog the last merge was made with, which a build stopped
	// after a catalog edit has not merged with yet.
	for _, m := range b.merger.Merged() {
		merges[mergeKey(b.mergedCat, b.mergedHasCat, m.Entity)] = &m
	}
	path, stamp, made := c.path, c.stamp+"\n"+cacheLayout, c.made
	return func(ctx context.Context) error {
		// A job that waited for another may find its snapshot written.
		if c.written.Load() >= made {
			return nil
		}
		if err := notecache.Write(ctx, path, stamp, entries, encodeEntry); err != nil {
			return err
		}
		if err := notecache.Write(ctx, mergesPath(path), stamp, merges, encodeMerge); err != nil {
			return err
		}
		for {
			if w := c.written.Load(); w >= made || c.written.CompareAndSwap(w, made) {
				break
			}
		}
		pruneCaches(filepath.Dir(path), time.Now())
		return nil
	}
}

// unusedAge is how long the cache files of a content folder may go
// unwritten before a save of another's removes them: a folder moved or
// deleted leaves its files behind, hundreds of MB at 10,000 notes.
const unusedAge = 30 * 24 * time.Hour

// pruneCaches removes from dir the note caches not written for unusedAge
// before now.
func pruneCaches(dir string, now time.Time) {
	for _, pattern := range []string{"notes-*.cache", mergesPath("notes-*.cache")} {
		old, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range old {
			if fi, err := os.Stat(p); err == nil && now.Sub(fi.ModTime()) > unusedAge {
				_ = os.Remove(p)
			}
		}
	}
}

// CachePath returns the file of the note cache for the content folder
// dir under the folder root (such as os.UserCacheDir's gen folder): one
// file for each content folder, named by a hash of its absolute path.
func CachePath(root, dir string) (string, error) {
	if root == "" {
		return "", errors.New("no cache folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(root, fmt.Sprintf("notes-%x.cache", sum[:12])), nil
}

// DefaultCacheRoot returns the folder gen keeps its caches in: gen under
// the user's cache folder ($XDG_CACHE_HOME or ~/.cache on Linux).
func DefaultCacheRoot() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "gen"), nil
}

// BuildCached is Build with the note cache at path (see CachePath and
// UseCache): every note whose entry the file holds is taken from it, and
// the site made is the one Build makes, search index and all. It returns
// how the cache served the build and a job that writes the file anew, or
// nil when the file already holds every note (see SaveCache), which the
// caller may run beside writing the site. Result.Repairs is left nil, as
// a Builder's is. An offline bundle (Options.Offline) reads no cache.
func BuildCached(ctx context.Context, opts Options, path string) (*Result, CacheStats, func(context.Context) error, error) {
	if opts.Offline || path == "" {
		res, err := Build(ctx, opts)
		return res, CacheStats{}, nil, err
	}
	b := NewBuilder(opts)
	b.UseCache(path)
	res, _, err := b.Build(ctx, nil)
	st := b.CacheStats()
	if err != nil {
		return res, st, nil, err
	}
	return res, st, b.SaveCache(), nil
}
