package search

// A port of the project's benchmark corpus tool, ../shared/bench/mkcorpus
// (main.go), so that CI, which cannot read ../shared, tests on the same
// corpus: the algorithm, its constants and its random stream are the
// tool's, and for the same seed files, n and seed it makes byte-identical
// notes (checked against the tool's own output on 50 notes, seed 1). The
// seed files are the bundled notes, content/notes/*.txt, which are
// byte-identical to the tool's ../seeds.
//
// Each seed file is split into sections at heading lines (markdown '#'
// headings, with or without a space after the hashes, and '=== X ===' lines).
// Sections larger than maxsec bytes are cut further at topic lines / blank
// lines so that every section is a plausible paragraph-sized unit. Each note
// is YAML front matter (title, tags) followed by 3-8 randomly chosen sections
// with light perturbations: renumbered headings, a few typos, and links to
// other notes both as [text](other-note.md) and as [[wikilink]].

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// mkNote is one note of a corpus: its file name (with .md) and contents.
type mkNote struct {
	Name string
	Data []byte
}

// mkMaxSec is the tool's -maxsec default.
const mkMaxSec = 1400

type mkSection struct {
	title string
	body  []string // lines, without the heading
	size  int      // bytes of body incl. newlines
}

var (
	mkReHash  = regexp.MustCompile(`^(#{1,6})\s*(.*?)\s*#*\s*$`)
	mkReEq    = regexp.MustCompile(`^===\s*(.*?)\s*===\s*$`)
	mkReNoise = regexp.MustCompile(`(?i)\(not in mind map\)`)
	mkReSlug  = regexp.MustCompile(`[^a-z0-9]+`)
	mkReWord  = regexp.MustCompile(`[A-Za-z]{6,}`)
)

// mkCorpus makes the n notes that `mkcorpus -n n -seed seed -seeds
// seedsDir -maxsec maxsec` writes, in memory and in the tool's order.
func mkCorpus(seedsDir string, n int, seed uint64, maxsec int) ([]mkNote, error) {
	secs, err := mkLoadSections(seedsDir, maxsec)
	if err != nil {
		return nil, err
	}
	if len(secs) < 8 {
		return nil, fmt.Errorf("mkcorpus: too few sections in seeds: %d", len(secs))
	}

	rng := rand.New(rand.NewPCG(seed, 0x6d6b636f72707573))

	// Pass 1: choose sections, titles and file names for every note so that
	// notes can link to each other.
	type plan struct {
		secs  []int
		title string
		name  string // file name without .md
		tags  []string
	}
	plans := make([]plan, n)
	for i := range plans {
		k := 3 + rng.IntN(6) // 3..8
		target := 2000 + rng.IntN(4001)
		var p plan
		size := 0
		used := map[int]bool{}
		for tries := 0; len(p.secs) < 8 && tries < 64; tries++ {
			if len(p.secs) >= 3 && size >= 2000 && (len(p.secs) >= k || size >= target) {
				break
			}
			j := rng.IntN(len(secs))
			if used[j] {
				continue
			}
			s := secs[j]
			if size+s.size > 5800 && len(p.secs) >= 3 {
				continue
			}
			used[j] = true
			p.secs = append(p.secs, j)
			size += s.size + len(s.title) + 8
		}
		p.title = mkTitleFor(secs[p.secs[0]].title, rng)
		p.name = fmt.Sprintf("n%05d-%s", i, mkSlug(p.title))
		p.tags = mkTagsFor(p.secs, secs, rng)
		plans[i] = p
	}

	// Pass 2: write the notes.
	out := make([]mkNote, 0, n)
	for i, p := range plans {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\ntags: [%s]\n---\n\n", p.title, strings.Join(p.tags, ", "))
		numbered := rng.IntN(2) == 0
		start := 1 + rng.IntN(3)
		// links to other notes: 1..5, a mix of markdown links and wikilinks
		nlinks := 1 + rng.IntN(5)
		links := make([]string, 0, nlinks)
		for l := 0; l < nlinks && n > 1; l++ {
			o := rng.IntN(n)
			if o == i {
				o = (o + 1) % n
			}
			op := plans[o]
			switch rng.IntN(3) {
			case 0:
				links = append(links, fmt.Sprintf("[%s](%s.md)", op.title, op.name))
			case 1:
				links = append(links, fmt.Sprintf("[[%s]]", op.name))
			default:
				links = append(links, fmt.Sprintf("[[%s|%s]]", op.name, op.title))
			}
		}
		if rng.IntN(3) > 0 {
			fmt.Fprintf(&b, "Notes on %s, collected while preparing for the exam.\n\n", strings.ToLower(p.title))
		}
		for si, j := range p.secs {
			s := secs[j]
			level := "##"
			if si > 0 && rng.IntN(4) == 0 {
				level = "###"
			}
			if numbered {
				fmt.Fprintf(&b, "%s %d. %s\n\n", level, start+si, s.title)
			} else {
				fmt.Fprintf(&b, "%s %s\n\n", level, s.title)
			}
			for _, line := range s.body {
				if len(line) > 20 && rng.IntN(40) == 0 {
					line = mkTypo(line, rng)
				}
				// inline link on a bullet line, rarely
				t := strings.TrimSpace(line)
				if len(links) > 0 && (strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ")) && rng.IntN(20) == 0 {
					line = line + " (see " + links[rng.IntN(len(links))] + ")"
				}
				b.WriteString(line)
				b.WriteByte('\n')
			}
			b.WriteByte('\n')
		}
		if len(links) > 0 {
			b.WriteString("## Related\n\n")
			for _, l := range links {
				b.WriteString("- " + l + "\n")
			}
		}
		out = append(out, mkNote{Name: p.name + ".md", Data: []byte(b.String())})
	}
	return out, nil
}

// mkLoadSections reads every *.txt in dir (sorted) and splits it into sections.
func mkLoadSections(dir string, maxsec int) ([]mkSection, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.txt files in %s", dir)
	}
	sort.Strings(files)
	var all []mkSection
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		lines := mkStripFrontMatter(mkSplitLines(string(data)))
		var cur *mkSection
		flush := func() {
			if cur == nil {
				return
			}
			// trim blank lines at both ends
			b := cur.body
			for len(b) > 0 && strings.TrimSpace(b[0]) == "" {
				b = b[1:]
			}
			for len(b) > 0 && strings.TrimSpace(b[len(b)-1]) == "" {
				b = b[:len(b)-1]
			}
			cur.body = b
			cur.size = 0
			for _, l := range b {
				cur.size += len(l) + 1
			}
			if cur.size >= 60 {
				all = append(all, mkCutSection(*cur, maxsec)...)
			}
			cur = nil
		}
		for _, l := range lines {
			if t, ok := mkHeading(l); ok {
				flush()
				cur = &mkSection{title: t}
				continue
			}
			if cur == nil {
				cur = &mkSection{title: strings.TrimSuffix(filepath.Base(f), ".txt")}
			}
			cur.body = append(cur.body, l)
		}
		flush()
	}
	return all, nil
}

func mkSplitLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), " \t\r"))
	}
	return out
}

func mkStripFrontMatter(lines []string) []string {
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				return lines[i+1:]
			}
		}
	}
	return lines
}

// mkHeading reports whether l is a heading line and returns its cleaned title.
func mkHeading(l string) (string, bool) {
	if m := mkReEq.FindStringSubmatch(l); m != nil {
		return mkCleanTitle(mkTitleCase(m[1])), true
	}
	if m := mkReHash.FindStringSubmatch(l); m != nil && m[2] != "" {
		return mkCleanTitle(m[2]), true
	}
	return "", false
}

func mkCleanTitle(t string) string {
	t = mkReNoise.ReplaceAllString(t, "")
	t = strings.Join(strings.Fields(t), " ")
	t = strings.TrimRight(t, " -:")
	if t == "" {
		t = "Notes"
	}
	return t
}

func mkTitleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		for k, c := range r {
			if unicode.IsLetter(c) {
				r[k] = unicode.ToUpper(c)
				break
			}
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// mkIsTopicLine: a short line that is not a list item and reads like a
// sub-heading (as in the '=== X ===' seed, where topics are bare lines).
func mkIsTopicLine(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || len(t) > 60 || t != l {
		return false
	}
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "*") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, ">") {
		return false
	}
	return !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, ",")
}

// mkCutSection splits a section larger than maxsec into smaller ones,
// preferring to cut before topic lines, then at blank lines, then at any line.
func mkCutSection(s mkSection, maxsec int) []mkSection {
	if s.size <= maxsec {
		return []mkSection{s}
	}
	var out []mkSection
	cur := mkSection{title: s.title}
	part := 1
	emit := func() {
		if cur.size >= 60 {
			out = append(out, cur)
		}
	}
	for _, l := range s.body {
		cutHere := false
		if cur.size > maxsec/3 && mkIsTopicLine(l) {
			cutHere = true
		} else if cur.size > maxsec*2/3 && strings.TrimSpace(l) == "" {
			cutHere = true
		} else if cur.size > maxsec {
			cutHere = true
		}
		if cutHere {
			emit()
			part++
			if mkIsTopicLine(l) {
				cur = mkSection{title: mkCleanTitle(l)}
				continue
			}
			cur = mkSection{title: fmt.Sprintf("%s (part %d)", s.title, part)}
			if strings.TrimSpace(l) == "" {
				continue
			}
		}
		cur.body = append(cur.body, l)
		cur.size += len(l) + 1
	}
	emit()
	return out
}

var mkQualifiers = []string{"", "", "", "notes", "cheat sheet", "review", "exam tips", "deep dive", "summary", "key points"}

func mkTitleFor(main string, rng *rand.Rand) string {
	main = strings.TrimSuffix(main, ")")
	if i := strings.Index(main, " (part "); i >= 0 {
		main = main[:i]
	}
	q := mkQualifiers[rng.IntN(len(mkQualifiers))]
	if q != "" {
		main = main + " " + q
	}
	return main
}

func mkSlug(s string) string {
	s = mkReSlug.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 48 {
		s = strings.TrimRight(s[:48], "-")
	}
	if s == "" {
		s = "note"
	}
	return s
}

var mkServices = []string{
	"kinesis", "firehose", "s3", "glacier", "dynamodb", "redshift", "emr", "glue", "athena",
	"sqs", "sns", "iot", "dms", "snowball", "elasticache", "redis", "memcached", "rds",
	"aurora", "lambda", "kms", "iam", "quicksight", "opensearch", "elasticsearch", "ebs",
	"efs", "fsx", "datasync", "msk", "kafka", "spark", "hive", "lake", "cloudwatch",
}

var mkGeneric = []string{"aws", "exam", "data-engineering", "storage", "streaming", "databases", "analytics", "security", "migration"}

func mkTagsFor(idx []int, secs []mkSection, rng *rand.Rand) []string {
	seen := map[string]bool{}
	var tags []string
	add := func(t string) {
		if !seen[t] && len(tags) < 5 {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	add("aws")
	for _, j := range idx {
		low := strings.ToLower(secs[j].title)
		for _, sv := range mkServices {
			if strings.Contains(" "+mkReSlug.ReplaceAllString(low, " ")+" ", " "+sv+" ") {
				add(sv)
			}
		}
	}
	add(mkGeneric[1+rng.IntN(len(mkGeneric)-1)])
	return tags
}

// mkTypo applies one light perturbation to a word of 6+ letters in line.
// The doubling case appends a slice to an overlapping prefix of itself, as
// the tool does; the port keeps that exactly, for byte-identical output.
func mkTypo(line string, rng *rand.Rand) string {
	locs := mkReWord.FindAllStringIndex(line, -1)
	if len(locs) == 0 {
		return line
	}
	loc := locs[rng.IntN(len(locs))]
	w := []byte(line[loc[0]:loc[1]])
	p := 1 + rng.IntN(len(w)-2)
	switch rng.IntN(3) {
	case 0: // swap adjacent letters
		w[p], w[p+1] = w[p+1], w[p]
	case 1: // drop a letter
		w = append(w[:p], w[p+1:]...)
	default: // double a letter
		w = append(w[:p+1], w[p:]...)
	}
	return line[:loc[0]] + string(w) + line[loc[1]:]
}

// mkContent writes a content folder of n mkcorpus notes (from the bundled
// notes, for seed) under dir: notes/*.md and the bundled catalog.yaml, as
// a site build reads it. It returns the folder.
func mkContent(t testing.TB, dir string, n int, seed uint64) string {
	t.Helper()
	notes, err := mkCorpus(notesDir, n, seed, mkMaxSec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, nt := range notes {
		if err := os.WriteFile(filepath.Join(dir, "notes", nt.Name), nt.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := os.ReadFile(filepath.Join(notesDir, "..", "catalog.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "catalog.yaml"), cat, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// MkContent is mkContent for the browser test, which builds the corpus as
// a site.
func MkContent(t testing.TB, dir string, n int, seed uint64) string {
	return mkContent(t, dir, n, seed)
}

// mkCorpus1000Digest is the SHA-256 of the 1,000 notes of seed 1, their
// contents joined in file-name order, as the tool itself writes them (go run
// . -n 1000 -seed 1 -seeds ../../seeds; `cat *.md | sha256sum`). The port
// matched the tool byte for byte on 50, 1,000 and 10,000 notes when it was
// made; CI cannot run the tool, so this pins its output.
const mkCorpus1000Digest = "2a9274e9c82fd013999e2576cbab46420cec1cb58255d265014f286a3f399ef9"

// TestMkCorpus checks that the port still makes the tool's 1,000-note
// corpus of seed 1 (the one the parity tests use), and makes it again
// identically.
func TestMkCorpus(t *testing.T) {
	a, err := mkCorpus(notesDir, 1000, 1, mkMaxSec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := mkCorpus(notesDir, 1000, 1, mkMaxSec)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1000 || len(b) != 1000 {
		t.Fatalf("%d and %d notes, want 1000", len(a), len(b))
	}
	h := sha256.New()
	size := 0
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("note %d differs between two runs: %s, %s", i, a[i].Name, b[i].Name)
		}
		if i > 0 && a[i-1].Name >= a[i].Name {
			t.Fatalf("notes out of name order: %s, %s", a[i-1].Name, a[i].Name)
		}
		h.Write(a[i].Data)
		size += len(a[i].Data)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != mkCorpus1000Digest {
		t.Errorf("the 1,000 notes of seed 1 hash to %s, the tool's to %s", got, mkCorpus1000Digest)
	}
	t.Logf("1,000 notes, %d bytes; first %s, last %s", size, a[0].Name, a[len(a)-1].Name)
}
