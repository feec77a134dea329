package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

const clientJS = "../../../assets/search/search.js"

// nodePath finds Node; without it the parity tests skip, except in CI.
func nodePath(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("node"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/node"); err == nil {
		return "/usr/bin/node"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("node is required in CI for the search parity tests")
	}
	t.Skip("node not found: skipping the JavaScript parity test")
	return ""
}

func runNode(t testing.TB, args ...string) []byte {
	t.Helper()
	node := nodePath(t)
	cmd := exec.Command(node, append([]string{"testdata/parity.js"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

func writeExport(t testing.TB, ix *Index) string {
	t.Helper()
	files, err := ix.Export()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, strings.TrimSuffix(Dir, "/"))
}

type jsHit struct {
	ID      string  `json:"id"`
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	Score   float64 `json:"score"`
}

func TestParityNotes(t *testing.T) {
	notes := notesCorpus(t)
	testParity(t, notes, queryMix(notes, 1))
}

func TestParitySynthetic(t *testing.T) {
	docs := synthCorpus(notesCorpus(t), 1000, 42)
	testParity(t, docs, queryMix(docs, 2))
}

// TestParityMkcorpus runs the 1,000 notes that the benchmark tool
// (../shared/bench/mkcorpus, ported in mkcorpus_test.go) makes from the
// bundled notes with seed 1, split at their headings like the notes: one
// doc per note and one per section.
func TestParityMkcorpus(t *testing.T) {
	docs := mkcorpusDocs(t)
	testParity(t, docs, queryMix(docs, 5))
}

// mkcorpusDocs is the 1,000-note mkcorpus corpus of seed 1 as docs.
func mkcorpusDocs(t testing.TB) []Doc {
	t.Helper()
	dir := mkContent(t, t.TempDir(), 1000, 1)
	return corpusDir(t, filepath.Join(dir, "notes"))
}

// TestParityLargeIndexMode runs the notes with what a large index gets:
// fuzzy queries keep the first letter, and many small shards of every kind.
func TestParityLargeIndexMode(t *testing.T) {
	notes := notesCorpus(t)
	testParity(t, notes, queryMix(notes, 4), func(ix *Index) {
		ix.fuzzyPrefix = 1
		ix.sizes = shardSizes{post: 2 << 10, dict: 512, single: 0, big: 4, chunk: 2, folder: 3}
	})
}

// TestParityImpactBounds runs the 1,000 mkcorpus notes with most terms in
// impact chunks (every term in more than 32 documents, chunks of 8 and 32
// documents), so that most queries stop early on the bounds or fall back
// to the full lists, with one or several unfinished terms.
func TestParityImpactBounds(t *testing.T) {
	docs := mkcorpusDocs(t)
	testParity(t, docs, queryMix(docs, 6), func(ix *Index) {
		ix.sizes.big, ix.sizes.chunk = 32, 8
	})
}

func testParity(t *testing.T, docs []Doc, queries []string, tweak ...func(*Index)) {
	nodePath(t)
	ix, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, f := range tweak {
		f(ix)
	}
	dir := writeExport(t, ix)
	kinds, n := map[byte]int{}, 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
			kinds[filepath.Base(filepath.Dir(p))[0]]++
		}
		return err
	})
	t.Logf("export: %d files: %d postings shards, %d dictionary shards", n, kinds['p'], kinds['d'])
	qf := filepath.Join(t.TempDir(), "queries.json")
	qj, _ := json.Marshal(queries)
	if err := os.WriteFile(qf, qj, 0o644); err != nil {
		t.Fatal(err)
	}
	var got []json.RawMessage
	t0 := time.Now()
	if err := json.Unmarshal(runNode(t, "search", clientJS, dir, qf, "10"), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(queries) {
		t.Fatalf("node answered %d queries, want %d", len(got), len(queries))
	}
	t.Logf("node: %v", time.Since(t0))
	t0 = time.Now()
	defer func() { t.Logf("bleve: %v", time.Since(t0)) }()
	mismatches, nonEmpty := 0, 0
	maxRel := 0.0
	for i, q := range queries {
		want, err := ix.Search(q, 10)
		if err != nil {
			t.Errorf("Search(%.40q): %v", q, err)
			continue
		}
		var hits []jsHit
		if err := json.Unmarshal(got[i], &hits); err != nil {
			t.Errorf("client on %.40q: %s", q, got[i])
			mismatches++
			continue
		}
		if len(want) > 0 {
			nonEmpty++
		}
		bad := len(hits) != len(want)
		for k := 0; !bad && k < len(want); k++ {
			w, h := want[k], hits[k]
			rel := math.Abs(w.Score-h.Score) / math.Max(math.Abs(w.Score), 1e-300)
			maxRel = math.Max(maxRel, rel)
			if w.ID != h.ID || rel > 1e-9 || w.URL != h.URL || w.Title != h.Title || w.Section != h.Section {
				bad = true
			}
		}
		if bad {
			mismatches++
			if mismatches <= 5 {
				expl, _ := ix.Explain(q, 3)
				if len(expl) > 6000 {
					expl = expl[:6000]
				}
				t.Errorf("query %.60q (plan %v):\n bleve  %s\n client %s\n%s", q, ix.plan(q), fmtHits(want), fmtJS(hits), expl)
			}
		}
	}
	t.Logf("%d docs, %d queries (%d with hits): %d mismatches, max relative score difference %.3g",
		len(docs), len(queries), nonEmpty, mismatches, maxRel)
	if len(queries) < 300 {
		t.Errorf("only %d queries", len(queries))
	}
}

func fmtHits(hs []Hit) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s:%.17g ", h.ID, h.Score)
	}
	return b.String()
}

func fmtJS(hs []jsHit) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s:%.17g ", h.ID, h.Score)
	}
	return b.String()
}

// TestAnalyzerParity compares the client's analysis with Bleve's "en"
// analyzer on every distinct field of the notes, of the synthetic corpus
// and of mkcorpus's (a fifth of it), its stemmer with go-porterstemmer on
// the whole vocabulary of the three plus generated variants, and its stop
// list.
func TestAnalyzerParity(t *testing.T) {
	nodePath(t)
	notes := notesCorpus(t)
	all := append(append([]Doc(nil), notes...), synthCorpus(notes, 1000, 42)...)
	// mkcorpus adds typos, renumbered headings and link syntax the notes
	// lack: the words of all its 1,000 notes go to the stemmer, the texts
	// of the sections of its first 200 to the analyzer (its pages only
	// join sections, and the rest add time, not kinds of text).
	mk := mkcorpusDocs(t)
	var mkTexts []Doc
	for _, d := range mk {
		if d.Category == "section" && d.ID < "n00200" {
			mkTexts = append(mkTexts, d)
		}
	}
	// Each distinct text once: mkcorpus repeats the notes' sections.
	var texts []string
	seenText := map[string]bool{}
	for _, d := range append(all[:len(all):len(all)], mkTexts...) {
		for _, s := range []string{d.Title, d.Section, strings.Join(d.Headings, "\n"), strings.Join(d.Aliases, "\n"), d.Body} {
			if !seenText[s] {
				seenText[s] = true
				texts = append(texts, s)
			}
		}
	}
	texts = append(texts, queryMix(notes, 1)...)
	an := registry.NewCache()
	enA, err := an.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]string, len(texts))
	seen := map[string]bool{}
	var words []string
	addWord := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for i, s := range texts {
		want[i] = []string{}
		for _, tok := range enA.Analyze([]byte(s)) {
			want[i] = append(want[i], string(tok.Term))
		}
	}
	// The stemmer sees lowercased words: every corpus word and variants.
	suffixes := []string{"", "s", "es", "ies", "ed", "ing", "ly", "er", "ers", "ation", "ational", "ness",
		"ful", "fulness", "ize", "izer", "ization", "ive", "iveness", "ible", "able", "ment", "ement", "ent",
		"ism", "iti", "ous", "ousli", "bli", "logi", "alli", "eli", "ical", "icate", "ate", "y", "e", "ll", "eed"}
	for _, w := range vocabulary(append(all, mk...)) {
		w = strings.ToLower(w)
		for _, s := range suffixes {
			addWord(w + s)
		}
		if r := []rune(w); len(r) > 3 {
			addWord(string(r[:len(r)-1]))
			addWord(string(r[:len(r)-2]))
		}
	}
	for _, w := range []string{"caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered",
		"bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping", "tanned", "falling", "hissing",
		"fizzed", "failing", "filing", "happy", "sky", "relational", "conditional", "rational", "valenci",
		"hesitanci", "digitizer", "conformabli", "radicalli", "differentli", "vileli", "analogousli",
		"vietnamization", "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness",
		"formaliti", "sensitiviti", "sensibiliti", "triplicate", "formative", "formalize", "electriciti",
		"electrical", "hopeful", "goodness", "revival", "allowance", "inference", "airliner", "gyroscopic",
		"adjustable", "defensible", "irritant", "replacement", "adjustment", "dependent", "adoption", "homologou",
		"communism", "activate", "angulariti", "homologous", "effective", "bowdlerize", "probate", "rate",
		"cease", "controll", "roll", "yyy", "y", "ys", "yes", "by", "bye", "syzygy", "ééé", "naïveté", "straße"} {
		addWord(w)
	}
	in, _ := json.Marshal(map[string]interface{}{"texts": texts, "words": words})
	f := filepath.Join(t.TempDir(), "in.json")
	if p := os.Getenv("SEARCH_DUMP_ANALYZE"); p != "" {
		f = p
	}
	if err := os.WriteFile(f, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Terms     [][]string `json:"terms"`
		Stems     []string   `json:"stems"`
		Stop      []string   `json:"stop"`
		Segmenter bool       `json:"segmenter"`
	}
	t0 := time.Now()
	if err := json.Unmarshal(runNode(t, "analyze", clientJS, f), &got); err != nil {
		t.Fatal(err)
	}
	t.Logf("node: %v", time.Since(t0))
	if !got.Segmenter {
		t.Error("node has no Intl.Segmenter")
	}
	bad := 0
	for i := range texts {
		if strings.Join(got.Terms[i], "\x00") != strings.Join(want[i], "\x00") {
			bad++
			if bad <= 5 {
				t.Errorf("analysis of %.80q:\n bleve  %q\n client %q", texts[i], first(want[i], 40), first(got.Terms[i], 40))
			}
		}
	}
	badStem := 0
	for i, w := range words {
		if s := string(porterstemmer.StemWithoutLowerCasing([]rune(w))); s != got.Stems[i] {
			badStem++
			if badStem <= 10 {
				t.Errorf("stem(%q): go-porterstemmer %q, client %q", w, s, got.Stems[i])
			}
		}
	}
	stop, err := an.TokenMapNamed(en.StopName)
	if err != nil {
		t.Fatal(err)
	}
	if len(stop) != len(got.Stop) {
		t.Errorf("client has %d stop words, Bleve %d", len(got.Stop), len(stop))
	}
	for _, w := range got.Stop {
		if _, ok := stop[w]; !ok {
			t.Errorf("client stop word %q is not Bleve's", w)
		}
	}
	t.Logf("analysis: %d texts, %d differ; stemmer: %d words, %d differ; %d stop words", len(texts), bad, len(words), badStem, len(got.Stop))
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TestQueryAnalysisMatchesEn checks that the query analyzer, which keeps the
// en chain's parts apart, yields exactly Bleve's "en" terms.
func TestQueryAnalysisMatchesEn(t *testing.T) {
	an, err := newAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	enA, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	notes := notesCorpus(t)
	for _, q := range append(queryMix(notes, 1), notes[0].Body, notes[3].Body) {
		var want, got []string
		for _, tok := range enA.Analyze([]byte(q)) {
			want = append(want, string(tok.Term))
		}
		for _, w := range an.words(q) {
			if _, stop := an.stop[w.lower]; !stop {
				got = append(got, w.stem)
			}
		}
		if strings.Join(want, "\x00") != strings.Join(got, "\x00") {
			t.Errorf("%.60q: en %q, words %q", q, first(want, 20), first(got, 20))
		}
	}
}
