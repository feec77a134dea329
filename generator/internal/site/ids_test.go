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

// TestLaterHasID checks what a link into a page not made yet is checked
// against: a note's line anchors and raw lines; any other id passes, to
// be checked when the page is made (and by a full build).
func TestLaterHasID(t *testing.T) {
	note := &pageMemo{later: true, note: &noteMemo{anchors: anchors{3, 7, 12}, lines: 20}}
	other := &pageMemo{later: true}
	for _, tt := range []struct {
		page *pageMemo
		frag string
		want bool
	}{
		{note, "L7", true},
		{note, "L12", true},
		{note, "L8", false},  // a line without an anchor
		{note, "L07", true},  // not a line anchor's id: unknown until made
		{note, "R20", true},  // the last raw line
		{note, "R21", false}, // past the end
		{note, "intro", true},
		{other, "L8", true},
		{other, "anything", true},
	} {
		if got := laterHasID(tt.page, tt.frag); got != tt.want {
			t.Errorf("laterHasID(%v, %q) = %v, want %v", tt.page.note != nil, tt.frag, got, tt.want)
		}
	}
}

// TestAnyIn checks anyIn with sets of none, one and several ids.
func TestAnyIn(t *testing.T) {
	for _, tt := range []struct {
		ids  []string
		set  map[string]bool
		want bool
	}{
		{[]string{"a", "b"}, nil, false},
		{[]string{"a", "b"}, map[string]bool{"b": true}, true},
		{[]string{"a", "b"}, map[string]bool{"c": true}, false},
		{[]string{"", "a"}, map[string]bool{"": true}, true},
		{nil, map[string]bool{"a": true}, false},
		{[]string{"a", "b"}, map[string]bool{"c": true, "b": true}, true},
		{[]string{"a"}, map[string]bool{"c": true, "d": true}, false},
		{[]string{"a"}, map[string]bool{"a": false}, false},
	} {
		if got := anyIn(tt.ids, tt.set); got != tt.want {
			t.Errorf("anyIn(%q, %v) = %v, want %v", tt.ids, tt.set, got, tt.want)
		}
	}
}
