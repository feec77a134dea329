package parse

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/clean"
)

// specExample is one example of goldmark's copy of the CommonMark spec.
type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// loadSpec reads _test/spec.json from goldmark's module folder, where the
// module cache keeps it; the examples are not copied into this repository.
func loadSpec(t testing.TB) []specExample {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Skipf("cannot find goldmark's module folder: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
	if err != nil {
		t.Skipf("cannot read the CommonMark examples: %v", err)
	}
	var ex []specExample
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

// specDifferences lists the CommonMark examples whose HTML gen changes on
// purpose, with the rule that changes each. Every other example must render
// exactly as plain goldmark (configured as gen configures it) renders it.
var specDifferences = map[int]string{
	// list-heading: a heading that opens a list item is lifted out of it.
	300: "list-heading", // "- # Foo\n- Bar\n  ---\n  baz"
}

// TestSpecPassthrough renders every CommonMark example with plain goldmark
// and with gen's clean and parse (format markdown), and fails on any
// difference that specDifferences does not explain.
func TestSpecPassthrough(t *testing.T) {
	p := New()
	plain := newMarkdown()
	differ := map[int]bool{}
	for _, ex := range loadSpec(t) {
		want := renderPlain(t, plain, []byte(ex.Markdown))
		c := clean.Clean([]byte(ex.Markdown), clean.Options{})
		got := render(t, p, p.Parse(c.Text, Options{Format: clean.FormatMarkdown}))
		if got == want {
			continue
		}
		differ[ex.Example] = true
		if _, ok := specDifferences[ex.Example]; !ok {
			t.Errorf("example %d (%s) differs:\n--- markdown\n%q\n--- goldmark\n%s--- gen\n%s", ex.Example, ex.Section, ex.Markdown, want, got)
		}
	}
	var nums []int
	for n := range specDifferences {
		if !differ[n] {
			t.Errorf("example %d is listed as differing (%s) but renders as goldmark does; drop it from the list", n, specDifferences[n])
		}
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var why []string
	for _, n := range nums {
		why = append(why, strings.TrimSpace(specDifferences[n]))
	}
	t.Logf("%d CommonMark examples differ from plain goldmark: %v (%s)", len(differ), nums, strings.Join(why, ", "))
}
