// Command bench measures gen serve on a corpus of notes and prints the
// figures: start-up time, CPU and peak memory, then, over a series of
// edits of different notes: the time to the first view of the note's page
// (made when first asked for), and from the note's write to its new HTML
// being served over HTTP and to the browser's reload event, with the CPU
// the server spent on each edit; then the start-up again, from the note
// cache the first run wrote.
//
// Usage (from the repository root):
//
//	go run ./generator/serve/bench -corpus /tmp/c10k [-edits 20] [-catalog content/catalog.yaml]
//
// The corpus (a folder of notes, as ../shared/bench/mkcorpus makes) is
// copied into a temporary site folder first, so the edits never touch it.
// The machine may be shared: the CPU times say what the wall times cannot.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gen-site/gen/generator/internal/source"
)

func main() {
	corpus := flag.String("corpus", "/tmp/c10k", "the `folder` of notes to serve")
	catalog := flag.String("catalog", "content/catalog.yaml", "the catalog `file` to serve them with")
	edits := flag.Int("edits", 20, "how many notes to edit, one after the other")
	genBin := flag.String("gen", "", "the gen `binary`; built from ./cmd/gen when empty")
	pause := flag.Duration("pause", 500*time.Millisecond, "the pause between edits")
	waitIndex := flag.Bool("wait-index", true, "start the edits once the first search index is made")
	restarts := flag.Int("restarts", 3, "how many times to start gen serve again after the edits, from the note cache")
	flag.Parse()
	if err := run(*corpus, *catalog, *genBin, *edits, *pause, *waitIndex, *restarts); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(corpus, catalog, genBin string, edits int, pause time.Duration, waitIndex bool, restarts int) error {
	tmp, err := os.MkdirTemp("", "gen-serve-bench-")
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
	site := filepath.Join(tmp, "site")
	notes, err := copyNotes(corpus, filepath.Join(site, "notes"))
	if err != nil {
		return err
	}
	if data, err := os.ReadFile(catalog); err == nil {
		if err := os.WriteFile(filepath.Join(site, "catalog.yaml"), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("corpus %s: %d notes; catalog %s\n", corpus, len(notes), catalog)

	// Start-up: from exec to the line that gives the URL, which gen serve
	// prints once the first build is served. The note cache is a folder
	// of the bench's own, empty at first: this start-up makes every note.
	cacheDir := filepath.Join(tmp, "cache")
	var logMu sync.Mutex
	var rebuilt []string
	indexed := make(chan struct{}) // closed when the first search index is made
	start := time.Now()
	cmd, base, err := startServe(genBin, site, cacheDir, func(line string) {
		if strings.HasPrefix(line, "gen: rebuilt") {
			logMu.Lock()
			rebuilt = append(rebuilt, line)
			logMu.Unlock()
		}
		if strings.HasPrefix(line, "gen: search index made in") {
			close(indexed)
		}
	})
	if err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill() }()
	startup := time.Since(start)
	startCPU := cpuTime(cmd.Process.Pid)
	fmt.Printf("start-up: %d ms wall, %d ms CPU, peak RSS so far %d MiB\n", startup.Milliseconds(), startCPU.Milliseconds(), peakRSS(cmd.Process.Pid)>>20)

	events, err := listen(base + "_gen/events")
	if err != nil {
		return err
	}
	// The edits start once the first search index, made in the background
	// after start-up, is there: an author's session spends its time
	// there, and an edit during that job would share the cores with it
	// (the job stops at its next batch) and time the job, not the edit.
	if waitIndex {
		select {
		case <-indexed:
			fmt.Printf("first search index made %d ms after start\n", time.Since(start).Milliseconds())
		case <-time.After(5 * time.Minute):
			return fmt.Errorf("no search index 5 minutes after start")
		}
	}
	time.Sleep(pause)

	var httpLat, sseLat, cpu, firstView []time.Duration
	step := max(len(notes)/edits, 1)
	for i := 0; i < edits && i*step < len(notes); i++ {
		p := notes[i*step]
		rel, _ := filepath.Rel(filepath.Join(site, "notes"), p)
		slug := source.Slugify(strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel)))
		page := "notes/" + slug + ".html"
		token := fmt.Sprintf("genbench%dx%d", i, time.Now().UnixNano())
		// Half the edits state a fact about an entity (its page, and the
		// pages that show its counts, change); half only add text.
		add := fmt.Sprintf("\n\nA plain sentence, %s.\n", token)
		if i%2 == 0 {
			add = fmt.Sprintf("\n\n- Amazon S3 stores objects up to 5 TB, %s\n", token)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// The page is open in a browser before the edit, as an author's
		// is: gen serve makes a note's page the first time it is asked
		// for, and after that with every edit that changes it.
		tv := time.Now()
		if err := get(base + page); err != nil {
			return fmt.Errorf("edit %d (%s): %v", i, rel, err)
		}
		firstView = append(firstView, time.Since(tv))
		events.reset()
		c0 := cpuTime(cmd.Process.Pid)
		t0 := time.Now()
		if err := os.WriteFile(p, append(data, add...), 0o644); err != nil {
			return err
		}
		dHTTP, err := waitHTML(base+page, token, t0)
		if err != nil {
			return fmt.Errorf("edit %d (%s): %v", i, rel, err)
		}
		dSSE, err := events.wait("/"+page, t0)
		if err != nil {
			return fmt.Errorf("edit %d (%s): %v", i, rel, err)
		}
		time.Sleep(pause) // let the rebuild finish before reading its CPU time
		c := cpuTime(cmd.Process.Pid) - c0
		httpLat, sseLat, cpu = append(httpLat, dHTTP), append(sseLat, dSSE), append(cpu, c)
		kind := "text"
		if i%2 == 0 {
			kind = "fact"
		}
		logMu.Lock()
		last := ""
		if len(rebuilt) > 0 {
			last = rebuilt[len(rebuilt)-1]
		}
		logMu.Unlock()
		fmt.Printf("edit %2d %-4s %-40s http %4d ms  sse %4d ms  cpu %4d ms  | %s\n", i, kind, rel,
			dHTTP.Milliseconds(), dSSE.Milliseconds(), c.Milliseconds(), last)
	}
	fmt.Printf("\nfirst view of a note's page: median %d ms, p95 %d ms\n", pct(firstView, 50).Milliseconds(), pct(firstView, 95).Milliseconds())
	fmt.Printf("write → new HTML served: median %d ms, p95 %d ms\n", pct(httpLat, 50).Milliseconds(), pct(httpLat, 95).Milliseconds())
	fmt.Printf("write → reload event:    median %d ms, p95 %d ms\n", pct(sseLat, 50).Milliseconds(), pct(sseLat, 95).Milliseconds())
	fmt.Printf("server CPU per edit:     median %d ms, p95 %d ms (clock ticks of 10 ms)\n", pct(cpu, 50).Milliseconds(), pct(cpu, 95).Milliseconds())
	fmt.Printf("peak RSS: %d MiB\n", peakRSS(cmd.Process.Pid)>>20)
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		fmt.Printf("stopped on Ctrl-C: %v\n", errOrOK(err))
	case <-time.After(30 * time.Second):
		return fmt.Errorf("did not stop within 30 s of Ctrl-C")
	}

	// Started again on the same notes, edits and all: every note is taken
	// from the note cache the first run wrote.
	for i := range restarts {
		cached := make(chan string, 1) // the line that says how many notes came from the cache
		t0 := time.Now()
		again, _, err := startServe(genBin, site, cacheDir, func(line string) {
			if strings.Contains(line, "from the cache") {
				cached <- line
			}
		})
		if err != nil {
			return fmt.Errorf("started again: %v", err)
		}
		d := time.Since(t0)
		c, rss := cpuTime(again.Process.Pid), peakRSS(again.Process.Pid)
		fmt.Printf("start-up again (%d): %d ms wall, %d ms CPU, peak RSS so far %d MiB; %s\n", i+1, d.Milliseconds(), c.Milliseconds(), rss>>20, <-cached)
		_ = again.Process.Signal(os.Interrupt)
		_ = again.Wait()
	}
	return nil
}

// startServe starts gen serve on site with its note cache in cacheDir,
// hands each line it logs to logLine, and returns once it serves, with
// its URL.
func startServe(genBin, site, cacheDir string, logLine func(string)) (*exec.Cmd, string, error) {
	cmd := exec.Command(genBin, "serve", "--content", site, "--port", "0", "--cache-dir", cacheDir)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logLine(sc.Text())
		}
	}()
	urlRE := regexp.MustCompile(`at (http://\S+/)`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return cmd, m[1], nil
		}
	}
	_ = cmd.Process.Kill()
	return nil, "", fmt.Errorf("gen serve printed no URL")
}

func errOrOK(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

// copyNotes copies every file of the corpus into dir and returns the
// copies' paths, sorted.
func copyNotes(corpus, dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		to := filepath.Join(dir, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		out = append(out, to)
		return os.WriteFile(to, data, 0o644)
	})
	slices.Sort(out)
	return out, err
}

// get asks for url and reads the answer, which must be 200 OK.
func get(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// waitHTML asks for url until its body holds token.
func waitHTML(url, token string, t0 time.Time) (time.Duration, error) {
	for time.Since(t0) < 60*time.Second {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), token) {
				return time.Since(t0), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s never showed the edit", url)
}

// sse records when each page was last named by a reload event.
type sse struct {
	mu   sync.Mutex
	seen map[string]time.Time
	wake chan struct{}
}

func listen(url string) (*sse, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	s := &sse{seen: map[string]time.Time{}, wake: make(chan struct{}, 1)}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 16<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
				continue
			}
			if v, ok := strings.CutPrefix(line, "data: "); ok && name == "reload" {
				now := time.Now()
				var c struct{ Pages []string }
				_ = json.Unmarshal([]byte(v), &c)
				s.mu.Lock()
				for _, p := range c.Pages {
					s.seen[p] = now
				}
				s.mu.Unlock()
				select {
				case s.wake <- struct{}{}:
				default:
				}
			}
		}
	}()
	return s, nil
}

func (s *sse) reset() {
	s.mu.Lock()
	s.seen = map[string]time.Time{}
	s.mu.Unlock()
}

func (s *sse) wait(page string, t0 time.Time) (time.Duration, error) {
	deadline := time.After(60 * time.Second)
	for {
		s.mu.Lock()
		at, ok := s.seen[page]
		s.mu.Unlock()
		if ok {
			return at.Sub(t0), nil
		}
		select {
		case <-s.wake:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			return 0, fmt.Errorf("no reload event for %s", page)
		}
	}
}

// cpuTime returns the user and system CPU time of a process so far.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

// peakRSS returns the largest resident set of a process so far, in bytes.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}
