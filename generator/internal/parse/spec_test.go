package parse

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/parse/mdext"
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
// purpose, with the rule that changes each: a rule of package clean (it must
// be among the repairs the cleaner reports for the example) or of package
// mdext (a heading of the example must carry it). Every other example must
// render exactly as plain goldmark (configured as gen configures it) does.
var specDifferences = map[int]string{
	// Relative indentation means nesting in notes; CommonMark makes the
	// items of these examples siblings, a lazy line or indented code.
	295: clean.RuleNesting,      // "- foo\n - bar\n  - baz\n   - boo"
	297: clean.RuleNesting,      // "10) foo\n   - bar"
	310: clean.RuleNesting,      // "- a\n - b\n  - c\n   - d\n  - e\n - f\n- g"
	311: clean.RuleNesting,      // "1. a\n\n  2. b\n\n   3. c"
	312: clean.RuleNesting,      // "- a\n - b\n  - c\n   - d\n    - e"
	313: clean.RuleNesting,      // "1. a\n\n  2. b\n\n    3. c"
	298: clean.RuleDoubleMarker, // "- - foo": one item, as "* •" is
	301: clean.RuleMixedMarker,  // "- foo\n- bar\n+ baz": one list
	300: mdext.RuleListHeading,  // "- # Foo\n- Bar\n  ---\n  baz"
}

// explains reports whether rule is at work in the cleaning or the parse of
// an example.
func explains(rule string, c *clean.Result, doc *Doc) bool {
	for _, r := range c.Repairs {
		if r.Rule == rule {
			return true
		}
	}
	for _, h := range Headings(doc) {
		if h.Rule == rule {
			return true
		}
	}
	return false
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
		doc := p.Parse(c.Text, Options{Format: clean.FormatMarkdown})
		got := render(t, p, doc)
		if got == want {
			continue
		}
		differ[ex.Example] = true
		rule, ok := specDifferences[ex.Example]
		switch {
		case !ok:
			t.Errorf("example %d (%s) differs:\n--- markdown\n%q\n--- goldmark\n%s--- gen\n%s", ex.Example, ex.Section, ex.Markdown, want, got)
		case !explains(rule, c, doc):
			t.Errorf("example %d differs, but rule %s, listed as the reason, is not at work (repairs %v)", ex.Example, rule, c.Repairs)
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
		why = append(why, fmt.Sprintf("%d %s", n, specDifferences[n]))
	}
	t.Logf("%d CommonMark examples differ from plain goldmark: %s", len(differ), strings.Join(why, ", "))
}
