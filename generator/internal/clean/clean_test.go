package clean

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/gen-site/gen/generator/internal/source"
)

var (
	update  = flag.Bool("update", false, "rewrite the want and repairs sections of testdata/cases and the golden files of testdata/notes")
	caseNum = flag.Int("case", 0, "run only the case with this number in each case file")
)

// contentDir holds the project's raw notes; tests read them in place.
const contentDir = "../../../content"

// A case file, testdata/cases/RULE.txtar, holds numbered cases of one rule.
// Its comment says what the rule is; each case is three sections:
//
//	-- N name: input --     the note body given to Clean
//	-- N name: want --      the cleaned text
//	-- N name: repairs --   one repair a line, "line: rule: before → after"
//
// A case where the rule must not fire has a want equal to its input and no
// repairs. In input and want, "⇥" stands for a tab and "␣" for a space (so
// that trailing spaces survive editors), and an input ending in "␄" has no
// final newline.
type testCase struct {
	num     int
	name    string
	input   []byte
	want    []byte
	repairs string
}

func decodeVisible(s []byte) []byte {
	s = bytes.ReplaceAll(s, []byte("⇥"), []byte("\t"))
	s = bytes.ReplaceAll(s, []byte("␣"), []byte(" "))
	if bytes.HasSuffix(s, []byte("␄\n")) {
		s = s[:len(s)-len("␄\n")]
	}
	return s
}

// encodeVisible marks tabs and trailing spaces, the inverse of
// decodeVisible for the text Clean writes.
func encodeVisible(s []byte) []byte {
	lines := strings.SplitAfter(string(s), "\n")
	var b strings.Builder
	for _, line := range lines {
		body := strings.TrimSuffix(line, "\n")
		trimmed := strings.TrimRight(body, " ")
		b.WriteString(strings.ReplaceAll(trimmed, "\t", "⇥"))
		b.WriteString(strings.Repeat("␣", len(body)-len(trimmed)))
		b.WriteString(line[len(body):])
	}
	return []byte(b.String())
}

func readCases(t *testing.T, path string) (*txtar.Archive, []*testCase) {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*testCase
	byKey := map[string]*testCase{}
	for _, f := range a.Files {
		key, part, ok := strings.Cut(f.Name, ": ")
		if !ok {
			t.Fatalf("%s: section %q: want \"N name: input|want|repairs\"", path, f.Name)
		}
		c := byKey[key]
		if c == nil {
			num, name, _ := strings.Cut(key, " ")
			n, err := strconv.Atoi(num)
			if err != nil {
				t.Fatalf("%s: section %q does not start with a case number", path, f.Name)
			}
			c = &testCase{num: n, name: name}
			byKey[key] = c
			cases = append(cases, c)
		}
		switch part {
		case "input":
			c.input = decodeVisible(f.Data)
		case "want":
			c.want = decodeVisible(f.Data)
		case "repairs":
			c.repairs = string(f.Data)
		default:
			t.Fatalf("%s: unknown section %q", path, f.Name)
		}
	}
	return a, cases
}

func formatRepairs(rs []Repair) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%d: %s: %s → %s\n", r.Line, r.Rule, r.Before, r.After)
	}
	return b.String()
}

// TestCases runs the case files of the rules.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	if len(files) == 0 {
		t.Fatal("no case files under testdata/cases")
	}
	for _, path := range files {
		a, cases := readCases(t, path)
		rule := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(rule, func(t *testing.T) {
			for _, c := range cases {
				if *caseNum != 0 && c.num != *caseNum {
					continue
				}
				t.Run(fmt.Sprintf("%d_%s", c.num, strings.ReplaceAll(c.name, " ", "_")), func(t *testing.T) {
					res := Clean(c.input, Options{FirstLine: 1})
					checkInvariants(t, c.input, Options{FirstLine: 1}, res)
					got := formatRepairs(res.Repairs)
					if *update {
						c.want, c.repairs = res.Text, got
						return
					}
					if !bytes.Equal(res.Text, c.want) {
						t.Errorf("text:\n--- input\n%s--- got\n%s--- want\n%s", c.input, res.Text, c.want)
					}
					if got != c.repairs {
						t.Errorf("repairs:\n--- got\n%s--- want\n%s", got, c.repairs)
					}
				})
			}
		})
		if *update && *caseNum == 0 {
			writeCases(t, path, a, cases)
		}
	}
}

func writeCases(t *testing.T, path string, a *txtar.Archive, cases []*testCase) {
	t.Helper()
	out := &txtar.Archive{Comment: a.Comment}
	for _, c := range cases {
		key := fmt.Sprintf("%d %s: ", c.num, c.name)
		var input []byte
		for _, f := range a.Files {
			if f.Name == key+"input" {
				input = f.Data
			}
		}
		out.Files = append(out.Files,
			txtar.File{Name: key + "input", Data: input},
			txtar.File{Name: key + "want", Data: encodeVisible(c.want)},
			txtar.File{Name: key + "repairs", Data: []byte(c.repairs)})
	}
	if err := os.WriteFile(path, txtar.Format(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkInvariants checks what holds for every input: valid UTF-8 out, a
// final newline, one Lines entry per line with increasing offsets inside
// the raw text, and a second cleaning that changes nothing.
func checkInvariants(t testing.TB, raw []byte, opts Options, res *Result) {
	t.Helper()
	if !utf8.Valid(res.Text) {
		t.Fatalf("output is not valid UTF-8: %q", res.Text)
	}
	if len(res.Text) > 0 && res.Text[len(res.Text)-1] != '\n' {
		t.Fatalf("output does not end in a newline: %q", res.Text)
	}
	if n := bytes.Count(res.Text, []byte("\n")); n != len(res.Lines) {
		t.Fatalf("%d lines of text, %d entries in Lines", n, len(res.Lines))
	}
	first := max(opts.FirstLine, 1)
	last := first + bytes.Count(raw, []byte("\n"))
	off := 0
	for i, l := range res.Lines {
		if l.Off != off {
			t.Fatalf("Lines[%d].Off = %d, want %d", i, l.Off, off)
		}
		if i > 0 && l.RawLine < res.Lines[i-1].RawLine {
			t.Fatalf("Lines[%d].RawLine = %d goes back from %d", i, l.RawLine, res.Lines[i-1].RawLine)
		}
		if l.RawLine < first || l.RawLine > last {
			t.Fatalf("Lines[%d].RawLine = %d, outside [%d, %d]", i, l.RawLine, first, last)
		}
		if l.RawOff < opts.FirstOff || l.RawOff > opts.FirstOff+len(raw) {
			t.Fatalf("Lines[%d].RawOff = %d, outside the raw text", i, l.RawOff)
		}
		off += bytes.IndexByte(res.Text[off:], '\n') + 1
	}
	for i, r := range res.Repairs {
		if r.Line < first || r.Line > last {
			t.Fatalf("repair %d at line %d, outside [%d, %d]", i, r.Line, first, last)
		}
		if i > 0 && r.Line < res.Repairs[i-1].Line {
			t.Fatalf("repairs out of line order: %d after %d", r.Line, res.Repairs[i-1].Line)
		}
	}
	again := Clean(res.Text, Options{FirstLine: 1})
	if !bytes.Equal(again.Text, res.Text) {
		t.Fatalf("not idempotent:\n--- input\n%q\n--- once\n%q\n--- twice\n%q", raw, res.Text, again.Text)
	}
	if len(again.Repairs) > 0 {
		t.Fatalf("cleaning the cleaned text repairs again:\n--- input\n%q\n--- once\n%q\n--- repairs\n%s", raw, res.Text, formatRepairs(again.Repairs))
	}
}

func loadNotes(t testing.TB) []*source.Note {
	t.Helper()
	notes, diags := source.Load(os.DirFS(contentDir), source.Options{})
	for _, d := range diags {
		t.Logf("%v", d)
	}
	if len(notes) == 0 {
		t.Fatalf("no notes under %s", contentDir)
	}
	return notes
}

func noteOptions(n *source.Note) Options {
	return Options{FirstLine: n.BodyLine, FirstOff: n.BodyStart, FrontMatter: n.HasFront}
}

// TestNotes compares the cleaned text and the repairs of each bundled note
// with testdata/notes/NAME.golden and NAME.repairs.
func TestNotes(t *testing.T) {
	for _, n := range loadNotes(t) {
		name := strings.TrimSuffix(filepath.Base(n.Path), filepath.Ext(n.Path))
		t.Run(name, func(t *testing.T) {
			res := Clean(n.Body, noteOptions(n))
			checkInvariants(t, n.Body, noteOptions(n), res)
			golden(t, filepath.Join("testdata", "notes", name+".golden"), res.Text)
			golden(t, filepath.Join("testdata", "notes", name+".repairs"), []byte(formatRepairs(res.Repairs)))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update and review the diff):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, a, b)
		}
	}
	return "(equal lines, different bytes)"
}

// TestRepairCounts logs how many repairs of each rule fire on each note.
func TestRepairCounts(t *testing.T) {
	rules := map[string]bool{}
	counts := map[string]map[string]int{}
	var names []string
	for _, n := range loadNotes(t) {
		name := filepath.Base(n.Path)
		names = append(names, name)
		counts[name] = map[string]int{}
		for _, r := range Clean(n.Body, noteOptions(n)).Repairs {
			counts[name][r.Rule]++
			rules[r.Rule] = true
		}
	}
	var rs []string
	for r := range rules {
		rs = append(rs, r)
	}
	sort.Strings(rs)
	var b strings.Builder
	fmt.Fprintf(&b, "%-26s", "note")
	for _, r := range rs {
		fmt.Fprintf(&b, " %s", r)
	}
	b.WriteString("\n")
	for _, name := range names {
		fmt.Fprintf(&b, "%-26s", name)
		for _, r := range rs {
			fmt.Fprintf(&b, " %*d", len(r), counts[name][r])
		}
		b.WriteString("\n")
	}
	t.Logf("repairs by rule:\n%s", b.String())
}

// TestPassThrough: clean CommonMark without the quirks comes out as it went
// in, with no repairs.
func TestPassThrough(t *testing.T) {
	for _, in := range []string{
		"",
		"# Title\n\nText.\n",
		"- a\n  - b\n    - c\n- d\n",
		"* a\n* b\n\n  para in b\n\n      code in b\n",
		"1. one\n2. two\n   - sub\n",
		"```\n * a\n•  b\n\tc   \n```\n",
		"    code\n     * not a list\n",
		"Para line one  \nline two with a hard break\n",
		"> quote  \n> more\n",
		"<div>\n * x\n</div>\n",
		"a · b · c\n",
		"Text with • a bullet inside\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
	} {
		res := Clean([]byte(in), Options{FirstLine: 1})
		if string(res.Text) != in || len(res.Repairs) > 0 {
			t.Errorf("Clean(%q) = %q with repairs:\n%s", in, res.Text, formatRepairs(res.Repairs))
		}
	}
}
