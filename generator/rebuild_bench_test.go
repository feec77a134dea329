package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	gen "github.com/gen-site/gen"
	"github.com/gen-site/gen/generator/internal/notecache"
	"github.com/gen-site/gen/generator/internal/source"
)

// BenchmarkRebuild times what gen serve does after a save: the Builder's
// Build of one changed note, in memory (no watcher, no HTTP), on the
// bundled notes or GEN_BENCH_CONTENT. Each iteration edits another note:
// a line of prose (text) or a new fact of a busy entity (fact), the two
// kinds of edit of the serve benchmark; GEN_REBUILD_PROFILE profiles them.
func BenchmarkRebuild(b *testing.B) {
	dir := benchContent()
	content := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS(dir), p)
		content[p] = &fstest.MapFile{Data: data, ModTime: time.Unix(1, 0)}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	var notes []string
	for p := range content {
		if strings.HasPrefix(p, "notes/") {
			notes = append(notes, p)
		}
	}
	slices.Sort(notes)
	// As gen serve builds: pages made when first asked for, and each
	// edited note's page asked for before the edit, as its open tab has.
	bl := NewBuilder(Options{Content: statFS{content}, Templates: gen.Templates(), Assets: gen.Assets()})
	bl.MakeLater()
	ctx := context.Background()
	if _, _, err := bl.Build(ctx, nil); err != nil {
		b.Fatal(err)
	}
	// GEN_REBUILD_PROFILE names a CPU profile of the edits alone, without
	// the first build that -cpuprofile would also hold.
	if f := os.Getenv("GEN_REBUILD_PROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			b.Fatal(err)
		}
		defer func() { pprof.StopCPUProfile(); _ = out.Close() }()
	}
	// GEN_REBUILD_MEMPROFILE names two heap profiles, NAME.base before
	// the edits and NAME after them: go tool pprof -sample_index
	// alloc_space -base NAME.base NAME shows what the edits allocate.
	if f := os.Getenv("GEN_REBUILD_MEMPROFILE"); f != "" {
		writeHeap := func(name string) {
			runtime.GC() // the profile is as of the last collection
			out, err := os.Create(name)
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
				b.Fatal(err)
			}
		}
		writeHeap(f + ".base")
		defer writeHeap(f)
	}
	i := 0
	for _, kind := range []string{"text", "fact"} {
		b.Run(kind, func(b *testing.B) {
			var rendered, changed, n int
			b.ReportAllocs()
			for b.Loop() {
				p := notes[(i*7919)%len(notes)]
				b.StopTimer()
				bl.Page("notes/" + source.Slugify(strings.TrimSuffix(strings.TrimPrefix(p, "notes/"), ".md")) + ".html")
				b.StartTimer()
				f := content[p]
				line := fmt.Sprintf("\nA line written while editing, number %d.\n", i)
				if kind == "fact" {
					line = fmt.Sprintf("\n* Amazon Kinesis Data Streams keeps records for %d hours\n", 24+i)
				}
				content[p] = &fstest.MapFile{Data: append(f.Data[:len(f.Data):len(f.Data)], line...), ModTime: f.ModTime.Add(time.Second)}
				_, rb, err := bl.Build(ctx, []string{p})
				if err != nil {
					b.Fatal(err)
				}
				rendered += rb.Rendered
				changed += len(rb.Changed)
				i++
				n++
			}
			b.ReportMetric(float64(rendered)/float64(n), "pages/op")
			b.ReportMetric(float64(changed)/float64(n), "changed/op")
		})
	}
}

// statFS is a MapFS whose Stat of a folder does not list it: MapFS.Stat
// opens a folder, which gathers its 10,000 entries, so a Build's look at
// notes/ cost 8 ms here that a Stat on disk does not.
type statFS struct{ fstest.MapFS }

func (s statFS) Stat(name string) (fs.FileInfo, error) {
	if f, ok := s.MapFS[name]; ok {
		return fstest.MapFS{path.Base(name): f}.Stat(path.Base(name))
	}
	if name == "notes" {
		return fstest.MapFS{"notes/x": &fstest.MapFile{}}.Stat("notes")
	}
	return s.MapFS.Stat(name)
}

// BenchmarkStartCached times the first build of a preview started again
// on unchanged notes, which takes every note from the note cache: on the
// bundled notes or GEN_BENCH_CONTENT, in memory, without the process's
// start or the HTTP server. It reports the cache file's size.
func BenchmarkStartCached(b *testing.B) {
	opts := Options{ContentDir: benchContent(), Templates: gen.Templates(), Assets: gen.Assets()}
	path := b.TempDir() + "/notes.cache"
	ctx := context.Background()
	first := NewBuilder(opts)
	first.MakeLater()
	first.UseCache(path)
	if _, _, err := first.Build(ctx, nil); err != nil {
		b.Fatal(err)
	}
	if err := first.SaveCache()(ctx); err != nil {
		b.Fatal(err)
	}
	first = nil
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		bl := NewBuilder(opts)
		bl.MakeLater()
		bl.DeferSearch()
		bl.UseCache(path)
		if _, _, err := bl.Build(ctx, nil); err != nil {
			b.Fatal(err)
		}
		if st := bl.CacheStats(); st.Misses > 0 || st.Err != nil {
			b.Fatalf("%+v", st)
		}
	}
	b.ReportMetric(float64(fi.Size())/1e6, "cacheMB")
}

// BenchmarkCacheRead times reading the note cache files that a first
// build of the bundled notes or GEN_BENCH_CONTENT writes: the part of a
// start from the cache that runs beside the reading of the notes.
func BenchmarkCacheRead(b *testing.B) {
	opts := Options{ContentDir: benchContent(), Templates: gen.Templates(), Assets: gen.Assets()}
	path := b.TempDir() + "/notes.cache"
	ctx := context.Background()
	first := NewBuilder(opts)
	first.MakeLater()
	first.UseCache(path)
	if _, _, err := first.Build(ctx, nil); err != nil {
		b.Fatal(err)
	}
	if err := first.SaveCache()(ctx); err != nil {
		b.Fatal(err)
	}
	stamp := first.cache.stamp + "\n" + cacheLayout
	first = nil
	runtime.GC()
	b.ReportAllocs()
	for b.Loop() {
		notes, err := notecache.Read(path, stamp, decodeEntry)
		if err != nil || len(notes) == 0 {
			b.Fatal(len(notes), err)
		}
		merges, err := notecache.Read(mergesPath(path), stamp, decodeMerge)
		if err != nil || len(merges) == 0 {
			b.Fatal(len(merges), err)
		}
	}
}
