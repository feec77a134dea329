// Command buildbench measures gen build and gen serve on corpora of notes,
// side by side with Hugo and with the goldmark floor (goldmark alone
// converting every note on every core), alternating the tools run by run so
// that a noisy machine treats them alike. It prints, for each corpus and
// tool, the median wall time, CPU time and peak RSS, the output files and
// bytes, gen's share of each stage, the same for a build again on the same
// notes (gen with the note cache of an earlier build and over its previous
// output, Hugo over its previous output), the serve start-up times (with no
// note cache, and from the cache of an earlier start), and the ratios the
// targets are stated in.
//
// Usage (from the repository root):
//
//	go run ./scripts/buildbench -corpus /tmp/c1k,/tmp/c10k [-runs 5] [-hugo hugo]
//
// A corpus is a folder of markdown notes, as mkcorpus makes them. Hugo is
// optional: without a hugo binary on PATH (or -hugo) its columns are left
// out. Output goes to a temporary folder on the same disk as TMPDIR.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func main() {
	corpora := flag.String("corpus", "/tmp/c1k,/tmp/c10k", "comma-separated `folders` of notes")
	runs := flag.Int("runs", 5, "runs of each tool per corpus")
	hugoBin := flag.String("hugo", "hugo", "the Hugo `binary`; skipped when not found")
	genBin := flag.String("gen", "", "the gen `binary`; built from ./cmd/gen when empty")
	catalog := flag.String("catalog", "content/catalog.yaml", "the catalog `file` gen builds with")
	serveOnlyFlag := flag.Bool("serve-only", false, "time only the start-ups of gen serve and hugo server")
	floor := flag.String("floor", "", "internal: convert the notes of this `folder` with goldmark and exit")
	flag.Parse()
	if *floor != "" {
		if err := goldmarkFloor(*floor); err != nil {
			fmt.Fprintln(os.Stderr, "buildbench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(strings.Split(*corpora, ","), *runs, *hugoBin, *genBin, *catalog, *serveOnlyFlag); err != nil {
		fmt.Fprintln(os.Stderr, "buildbench:", err)
		os.Exit(1)
	}
}

// goldmarkFloor converts every note under dir with goldmark and GFM on
// every core, writing nothing: the least any goldmark-based generator does.
func goldmarkFloor(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			md := goldmark.New(goldmark.WithExtensions(extension.GFM))
			for p := range work {
				src, err := os.ReadFile(p)
				if err == nil {
					_ = md.Convert(src, io.Discard)
				}
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	return nil
}

// sample is one run of one tool.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // bytes
	files     int
	bytes     int64
	stages    map[string]time.Duration
}

func run(corpora []string, runs int, hugoBin, genBin, catalog string, serveOnly bool) error {
	tmp, err := os.MkdirTemp("", "gen-buildbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if genBin == "" {
		genBin = filepath.Join(tmp, "gen")
		if out, err := exec.Command("go", "build", "-o", genBin, "./cmd/gen").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if p, err := exec.LookPath(hugoBin); err == nil {
		hugoBin = p
	} else {
		hugoBin = ""
	}
	hugoVersion := "none"
	if hugoBin != "" {
		out, _ := exec.Command(hugoBin, "version").Output()
		hugoVersion = strings.Fields(string(out) + " ?")[1]
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("== %d cores, load %s; Hugo %s; %d runs each, alternating\n", runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:3], " "), hugoVersion, runs)

	for _, corpus := range corpora {
		site := filepath.Join(tmp, "site")
		os.RemoveAll(site)
		n, size, err := copyTree(corpus, filepath.Join(site, "content", "notes"))
		if err != nil {
			return err
		}
		if data, err := os.ReadFile(catalog); err == nil {
			if err := os.WriteFile(filepath.Join(site, "content", "catalog.yaml"), data, 0o644); err != nil {
				return err
			}
		}
		if hugoBin != "" {
			if err := hugoSite(site); err != nil {
				return err
			}
		}
		fmt.Printf("\n== %s: %d notes, %.1f MB of markdown\n", corpus, n, float64(size)/1e6)
		results := map[string][]sample{}
		genOut, hugoOut := filepath.Join(tmp, "gen-out"), filepath.Join(tmp, "hugo-out")
		for range runs {
			if serveOnly {
				break
			}
			os.RemoveAll(genOut)
			s, err := measure(exec.Command(genBin, "build", "--content", filepath.Join(site, "content"), "--out", genOut, "--timings"), genOut)
			if err != nil {
				return fmt.Errorf("gen build: %v", err)
			}
			results["gen build"] = append(results["gen build"], s)
			if hugoBin != "" {
				os.RemoveAll(hugoOut)
				s, err := measure(exec.Command(hugoBin, "--quiet", "--source", site, "--destination", hugoOut), hugoOut)
				if err != nil {
					return fmt.Errorf("hugo: %v", err)
				}
				results["hugo"] = append(results["hugo"], s)
			}
			s, err = measure(exec.Command(self, "-floor", filepath.Join(site, "content", "notes")), "")
			if err != nil {
				return fmt.Errorf("goldmark floor: %v", err)
			}
			results["goldmark floor"] = append(results["goldmark floor"], s)
		}
		// Built again on the same notes, as an author does after a build:
		// gen with the note cache that a first build filled and over its
		// previous output, Hugo over its previous output.
		buildCache := filepath.Join(tmp, "build-cache-"+filepath.Base(corpus))
		again := func() *exec.Cmd {
			return exec.Command(genBin, "build", "--content", filepath.Join(site, "content"), "--out", genOut, "--timings", "--cache-dir", buildCache)
		}
		if !serveOnly {
			if _, err := measure(again(), genOut); err != nil { // fills the cache
				return fmt.Errorf("gen build: %v", err)
			}
		}
		for range runs {
			if serveOnly {
				break
			}
			s, err := measure(again(), genOut)
			if err != nil {
				return fmt.Errorf("gen build again: %v", err)
			}
			results["gen build again"] = append(results["gen build again"], s)
			if hugoBin != "" {
				s, err := measure(exec.Command(hugoBin, "--quiet", "--source", site, "--destination", hugoOut), hugoOut)
				if err != nil {
					return fmt.Errorf("hugo again: %v", err)
				}
				results["hugo again"] = append(results["hugo again"], s)
			}
		}
		if !serveOnly {
			fmt.Printf("%-16s %9s %9s %9s %8s %9s\n", "", "wall", "CPU", "peak RSS", "files", "output")
		}
		med := map[string]sample{}
		for _, tool := range []string{"gen build", "hugo", "goldmark floor", "gen build again", "hugo again"} {
			ss := results[tool]
			if len(ss) == 0 {
				continue
			}
			m := median(ss)
			med[tool] = m
			out := "-"
			if m.files > 0 {
				out = fmt.Sprintf("%.0f MB", float64(m.bytes)/1e6)
			}
			fmt.Printf("%-16s %7.2f s %7.2f s %6d MiB %8d %9s\n", tool, m.wall.Seconds(), m.cpu.Seconds(), m.rss>>20, m.files, out)
		}
		g := med["gen build"]
		var stages []string
		for _, name := range []string{"source", "catalog", "notes", "graph", "site", "search", "output"} {
			if d, ok := g.stages[name]; ok {
				stages = append(stages, fmt.Sprintf("%s %d%%", name, int(100*d.Seconds()/g.wall.Seconds()+0.5)))
			}
		}
		if len(stages) > 0 {
			fmt.Printf("gen stages (share of wall; search runs beside site): %s\n", strings.Join(stages, ", "))
		}
		if h, ok := med["hugo"]; ok {
			fmt.Printf("gen / Hugo: wall %.2f×, peak RSS %.2f×\n", g.wall.Seconds()/h.wall.Seconds(), float64(g.rss)/float64(h.rss))
		}
		if f, ok := med["goldmark floor"]; ok {
			fmt.Printf("gen / goldmark floor: wall %.1f×\n", g.wall.Seconds()/f.wall.Seconds())
		}
		if ga, ok := med["gen build again"]; ok {
			var stages []string
			for _, name := range []string{"source", "catalog", "notes", "graph", "site", "search", "output"} {
				if d, ok := ga.stages[name]; ok {
					stages = append(stages, fmt.Sprintf("%s %d%%", name, int(100*d.Seconds()/ga.wall.Seconds()+0.5)))
				}
			}
			fmt.Printf("gen build again (note cache, previous output): %s\n", strings.Join(stages, ", "))
			if ha, ok := med["hugo again"]; ok {
				fmt.Printf("built again, gen / Hugo: wall %.2f×, peak RSS %.2f×\n", ga.wall.Seconds()/ha.wall.Seconds(), float64(ga.rss)/float64(ha.rss))
			}
		}

		// Serve start-up: from exec to the moment the server says it serves,
		// with no note cache (a first start, or one after gen changed) and
		// from the cache of an earlier start on the same notes.
		cacheDir := filepath.Join(tmp, "cache-"+filepath.Base(corpus))
		serveCmd := func(cache ...string) *exec.Cmd {
			return exec.Command(genBin, append([]string{"serve", "--content", filepath.Join(site, "content"), "--port", "0"}, cache...)...)
		}
		servesRE := regexp.MustCompile(`^Serving .* at http`)
		if _, err := startup(serveCmd("--cache-dir", cacheDir), servesRE); err != nil { // writes the cache as it stops
			return fmt.Errorf("gen serve: %v", err)
		}
		var genServe, genWarm, hugoServe []sample
		for range min(runs, 3) {
			s, err := startup(serveCmd("--no-cache"), servesRE)
			if err != nil {
				return fmt.Errorf("gen serve: %v", err)
			}
			genServe = append(genServe, s)
			if s, err = startup(serveCmd("--cache-dir", cacheDir), servesRE); err != nil {
				return fmt.Errorf("gen serve: %v", err)
			}
			genWarm = append(genWarm, s)
			if hugoBin != "" {
				s, err := startup(exec.Command(hugoBin, "server", "--source", site, "--port", "13999", "--disableLiveReload"), regexp.MustCompile(`Web Server is available`))
				if err != nil {
					return fmt.Errorf("hugo server: %v", err)
				}
				hugoServe = append(hugoServe, s)
			}
		}
		gs, gw := median(genServe), median(genWarm)
		fmt.Printf("gen serve start-up, no cache:   %7.2f s wall, %7.2f s CPU, %6d MiB\n", gs.wall.Seconds(), gs.cpu.Seconds(), gs.rss>>20)
		fmt.Printf("gen serve start-up, from cache: %7.2f s wall, %7.2f s CPU, %6d MiB\n", gw.wall.Seconds(), gw.cpu.Seconds(), gw.rss>>20)
		if len(hugoServe) > 0 {
			hs := median(hugoServe)
			fmt.Printf("hugo server start-up:           %7.2f s wall, %7.2f s CPU, %6d MiB\n", hs.wall.Seconds(), hs.cpu.Seconds(), hs.rss>>20)
			fmt.Printf("gen serve / hugo server start-up: %.2f× with no cache, %.2f× from the cache\n", gs.wall.Seconds()/hs.wall.Seconds(), gw.wall.Seconds()/hs.wall.Seconds())
		}
	}
	return nil
}

var stageLine = regexp.MustCompile(`^gen: stage (\S+) +(\d+) ms$`)

// measure runs cmd to its end and reads its wall time, CPU time and peak
// RSS from the kernel, gen's stage lines from its stderr, and what it
// wrote under out.
func measure(cmd *exec.Cmd, out string) (sample, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%v\n%s", err, tail(stderr.String()))
	}
	s := sample{wall: time.Since(start), stages: map[string]time.Duration{}}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		s.rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if m := stageLine.FindStringSubmatch(l); m != nil {
			ms, _ := strconv.Atoi(m[2])
			s.stages[m[1]] = time.Duration(ms) * time.Millisecond
		}
	}
	if out != "" {
		_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					s.files++
					s.bytes += fi.Size()
				}
			}
			return nil
		})
	}
	return s, nil
}

// startup starts a server, waits for the line that says it serves, reads
// its CPU time and peak RSS so far, and stops it.
func startup(cmd *exec.Cmd, ready *regexp.Regexp) (sample, error) {
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		w.Close()
	}()
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(r)
		ok := false
		for sc.Scan() {
			if !ok && ready.MatchString(sc.Text()) {
				ok = true
				found <- true
			}
		}
		if !ok {
			found <- false
		}
	}()
	select {
	case ok := <-found:
		if !ok {
			return sample{}, fmt.Errorf("it stopped before it served")
		}
	case <-time.After(5 * time.Minute):
		return sample{}, fmt.Errorf("not serving after 5 minutes")
	}
	s := sample{wall: time.Since(start)}
	s.cpu, s.rss = procUsage(cmd.Process.Pid)
	return s, nil
}

// procUsage reads a running process's CPU time and peak RSS from /proc.
func procUsage(pid int) (time.Duration, int64) {
	var cpu time.Duration
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// The fields after the command's closing parenthesis; utime and
		// stime are the 12th and 13th of them, in clock ticks of 10 ms.
		if i := strings.LastIndexByte(string(data), ')'); i >= 0 {
			f := strings.Fields(string(data)[i+1:])
			if len(f) > 12 {
				u, _ := strconv.ParseInt(f[11], 10, 64)
				s, _ := strconv.ParseInt(f[12], 10, 64)
				cpu = time.Duration(u+s) * 10 * time.Millisecond
			}
		}
	}
	var rss int64
	if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				rss = kb << 10
			}
		}
	}
	return cpu, rss
}

// median returns, field by field, the median of the samples.
func median(ss []sample) sample {
	pick := func(get func(sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = get(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	m := sample{
		wall:   time.Duration(pick(func(s sample) int64 { return int64(s.wall) })),
		cpu:    time.Duration(pick(func(s sample) int64 { return int64(s.cpu) })),
		rss:    pick(func(s sample) int64 { return s.rss }),
		files:  int(pick(func(s sample) int64 { return int64(s.files) })),
		bytes:  pick(func(s sample) int64 { return s.bytes }),
		stages: map[string]time.Duration{},
	}
	for name := range ss[0].stages {
		m.stages[name] = time.Duration(pick(func(s sample) int64 { return int64(s.stages[name]) }))
	}
	return m
}

// copyTree copies the files under from into to and returns their count and
// total size.
func copyTree(from, to string) (int, int64, error) {
	n, size := 0, int64(0)
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		n++
		size += int64(len(data))
		return os.WriteFile(dst, data, 0o644)
	})
	return n, size, err
}

// hugoSite makes site a Hugo site over the same notes (content/notes/,
// without gen's catalog beside them): a
// configuration and the smallest layouts that render every note as a page
// inside a base template, as a simple theme does, with no taxonomies.
func hugoSite(site string) error {
	files := map[string]string{
		"hugo.toml": "baseURL = 'http://localhost/'\ntitle = 'Notes'\ncontentDir = 'content/notes'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n" +
			"[markup.goldmark.renderer]\nunsafe = false\n",
		"layouts/_default/baseof.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>` +
			`<body><nav><a href="{{ "/" | relURL }}">Home</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	for name, data := range files {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}
