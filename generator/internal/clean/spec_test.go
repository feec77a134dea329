package clean

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

// specExample is one example of goldmark's copy of the CommonMark spec.
type specExample struct {
	Markdown string `json:"markdown"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// loadSpec reads _test/spec.json from goldmark's module folder; the
// examples are not copied into this repository.
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

// specChanges lists the CommonMark examples that Clean changes so that
// plain goldmark renders them differently, each with the rule that does
// it. They are the quirks the rules exist for, written on purpose in the
// spec to show what CommonMark does with them.
var specChanges = map[int]string{
	// nesting: a bullet indented deeper than the bullet above is its child,
	// even when CommonMark, counting columns, reads a sibling.
	295: "nesting",       // "- foo\n - bar\n  - baz\n   - boo"
	297: "nesting",       // "10) foo\n   - bar": three spaces under "10) "
	310: "nesting",       // "- a\n - b\n  - c\n   - d\n  - e\n - f\n- g"
	311: "nesting",       // "1. a\n\n  2. b\n\n   3. c"
	312: "nesting",       // "- a\n - b\n  - c\n   - d\n    - e"
	313: "nesting",       // "1. a\n\n  2. b\n\n    3. c"
	298: "double-marker", // "- - foo": one item, not a list in a list
	301: "mixed-marker",  // "- foo\n- bar\n+ baz": one list, not two
}

// TestSpec cleans every CommonMark example and renders it with plain
// goldmark before and after: any difference not in specChanges fails.
// It also checks the invariants on every example.
func TestSpec(t *testing.T) {
	md := goldmark.New()
	render := func(src []byte) string {
		var b bytes.Buffer
		if err := md.Convert(src, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	changed := map[int]bool{}
	for _, ex := range loadSpec(t) {
		res := Clean([]byte(ex.Markdown), Options{FirstLine: 1})
		checkInvariants(t, []byte(ex.Markdown), Options{FirstLine: 1}, res)
		before, after := render([]byte(ex.Markdown)), render(res.Text)
		if before == after {
			continue
		}
		changed[ex.Example] = true
		if _, ok := specChanges[ex.Example]; !ok {
			var rules []string
			for _, r := range res.Repairs {
				rules = append(rules, r.Rule)
			}
			t.Errorf("example %d (%s) renders differently after cleaning (repairs: %v):\n--- markdown\n%q\n--- cleaned\n%q\n--- before\n%s--- after\n%s",
				ex.Example, ex.Section, rules, ex.Markdown, res.Text, before, after)
		}
	}
	var nums []int
	for n := range specChanges {
		if !changed[n] {
			t.Errorf("example %d is listed (%s) but renders the same after cleaning", n, specChanges[n])
		}
		nums = append(nums, n)
	}
	sort.Ints(nums)
	t.Logf("%d CommonMark examples render differently after cleaning: %v", len(changed), nums)
}
