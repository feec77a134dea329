package mdext

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

var (
	update = flag.Bool("update", false, "rewrite the expected HTML of the case files")
	caseNo = flag.Int("case", 0, "run only the case with this number")
)

// Case files hold numbered cases as goldmark's extension/_test/*.txt do:
//
//	N: description
//	//- - - - - - - - -//
//	markdown
//	//- - - - - - - - -//
//	expected HTML
//	//= = = = = = = = = = = = = = = = = = = = = = = =//
const (
	partSep = "//- - - - - - - - -//"
	caseSep = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

type testCase struct {
	no       int
	desc     string
	markdown string
	html     string
}

func readCases(t *testing.T, path string) []testCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var cases []testCase
	var c testCase
	part := 0 // 0 header, 1 markdown, 2 html
	var buf []string
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		switch {
		case part == 0 && strings.TrimSpace(s) == "":
		case part == 0:
			num, desc, _ := strings.Cut(s, ":")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if err != nil {
				t.Fatalf("%s:%d: bad case header %q", path, line, s)
			}
			c = testCase{no: n, desc: strings.TrimSpace(desc)}
			if !sc.Scan() || sc.Text() != partSep {
				t.Fatalf("%s:%d: want %s after the header", path, line+1, partSep)
			}
			line++
			part, buf = 1, nil
		case part == 1 && s == partSep:
			c.markdown = strings.Join(buf, "\n") + "\n"
			part, buf = 2, nil
		case part == 2 && s == caseSep:
			c.html = strings.Join(buf, "\n")
			if c.html != "" {
				c.html += "\n"
			}
			cases = append(cases, c)
			part = 0
		default:
			buf = append(buf, s)
		}
	}
	if part != 0 {
		t.Fatalf("%s: the last case is not closed by %s", path, caseSep)
	}
	return cases
}

func writeCases(path string, cases []testCase) error {
	var b bytes.Buffer
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d: %s\n%s\n%s%s\n%s%s\n", c.no, c.desc, partSep, c.markdown, partSep, c.html, caseSep)
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func newMarkdown(opts Options) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, New(opts)),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

func runCaseFile(t *testing.T, name string, opts Options) {
	path := filepath.Join("testdata", name)
	cases := readCases(t, path)
	md := newMarkdown(opts)
	changed := false
	for i, c := range cases {
		if *caseNo != 0 && c.no != *caseNo {
			continue
		}
		var out bytes.Buffer
		if err := md.Convert([]byte(c.markdown), &out); err != nil {
			t.Fatalf("%s case %d: %v", name, c.no, err)
		}
		if out.String() == c.html {
			continue
		}
		if *update {
			cases[i].html = out.String()
			changed = true
			continue
		}
		t.Errorf("%s case %d (%s):\n--- markdown\n%s--- want\n%s--- got\n%s", name, c.no, c.desc, c.markdown, c.html, out.String())
	}
	if changed {
		if err := writeCases(path, cases); err != nil {
			t.Fatal(err)
		}
	}
}

func TestATXNoSpace(t *testing.T)  { runCaseFile(t, "atx_nospace.txt", Options{}) }
func TestAnnotation(t *testing.T)  { runCaseFile(t, "annotation.txt", Options{}) }
func TestListHeading(t *testing.T) { runCaseFile(t, "list_heading.txt", Options{}) }
func TestPipeTable(t *testing.T)   { runCaseFile(t, "pipe_table.txt", Options{}) }
func TestOutline(t *testing.T)     { runCaseFile(t, "outline.txt", Options{Plaintext: true}) }
func TestOutlineOff(t *testing.T)  { runCaseFile(t, "outline_markdown.txt", Options{}) }
func TestBoldTitle(t *testing.T)   { runCaseFile(t, "bold_title.txt", Options{}) }

func TestSplitAnnotation(t *testing.T) {
	for _, tc := range []struct{ in, keep, ann string }{
		{"S3  (Not in Mind Map)", "S3", "Not in Mind Map"},
		{"Collection (not in  mind map)", "Collection", "not in  mind map"},
		{"Glue (WIP)", "Glue", "WIP"},
		{"Redshift (TODO) ", "Redshift", "TODO"},
		{"DMS (Database Migration Service)", "DMS (Database Migration Service)", ""},
		{"Kinesis Data Firehose (KDF)", "Kinesis Data Firehose (KDF)", ""},
		{"(TODO)", "(TODO)", ""},
		{"MSK (Kafka)", "MSK (Kafka)", ""},
		{"Notes (WIP) on S3", "Notes (WIP) on S3", ""},
	} {
		keep, ann := SplitAnnotation([]byte(tc.in))
		if got := tc.in[:keep]; got != tc.keep || ann != tc.ann {
			t.Errorf("SplitAnnotation(%q) = %q, %q; want %q, %q", tc.in, got, ann, tc.keep, tc.ann)
		}
	}
}
