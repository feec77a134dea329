package site

import (
	"slices"
	"testing"
)

// TestIDList checks the ids a page's links are checked against: all but
// the line anchors, which its lines bitset holds, unescaped and sorted.
func TestIDList(t *testing.T) {
	m := &pageMemo{data: []byte(`<h2 id="sec">S</h2><span id="L12"></span><p id="a&amp;b"></p><a id="L0x"></a><b id="sec"></b>`)}
	want := []string{"L0x", "a&b", "sec"}
	if got := m.idList(); !slices.Equal(got, want) {
		t.Errorf("idList = %q, want %q", got, want)
	}
	if got := lineAnchors(m.data); !hasLine(got, "L12") || hasLine(got, "L0x") {
		t.Errorf("lineAnchors = %v: want L12 and not L0x", got)
	}
}
