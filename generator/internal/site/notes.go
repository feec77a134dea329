package site

import (
	"bytes"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// anchors are the raw lines of one note that have an id="L<line>" on its
// page, sorted.
type anchors []int

// nearest returns the anchored line that best stands for raw line n: n
// itself, else the closest one before it (the block that holds it), else
// the first. It is 0 when the note has no anchor at all.
func (a anchors) nearest(n int) int {
	if len(a) == 0 {
		return 0
	}
	i := sort.SearchInts(a, n)
	if i < len(a) && a[i] == n {
		return n
	}
	if i > 0 {
		return a[i-1]
	}
	return a[0]
}

func (a anchors) has(n int) bool {
	_, ok := slices.BinarySearch(a, n)
	return ok
}

// decorateNote changes the AST of a note for its page: every raw line that
// holds text gets an anchor (an empty <span id="L12" class="ln"> before its
// first text, so sources can link to the exact line), and the first
// mention of each entity in each section becomes a link to the entity's
// page. It works on the AST rather than on the HTML so that code, existing
// links and headings' ids stay as the parser made them. The AST is shared
// with later stages, so the returned undo takes every change back once the
// page is rendered.
func decorateNote(n *Note, x *index) (anchors, func()) {
	src := n.Doc.Source
	done := map[int]bool{}
	var lines []int
	mark := func(line int) bool {
		if line <= 0 || done[line] {
			return false
		}
		done[line] = true
		lines = append(lines, line)
		return true
	}
	byLine := map[int][]graph.Mention{}
	for _, m := range x.byNote[n.Source.ID] {
		if x.entity[m.Entity] != nil && m.Text != "" {
			byLine[m.Line] = append(byLine[m.Line], m)
		}
	}

	mergeTexts(n.Doc.Root) // the same text, in fewer nodes: nothing to undo
	var added []ast.Node   // removed by undo
	var links []*ast.Link  // unwrapped by undo

	// Collect first, change after: inserting nodes while ast.Walk runs
	// would make it visit them.
	type textAt struct {
		t       *ast.Text
		section int
		noLink  bool // inside a link or code: no mention link here
	}
	var texts []textAt
	var blocks []ast.Node
	section := 0
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Heading:
			section++
			// A heading keeps the id the parser gave it: its line's
			// anchor goes just before it, like a code block's.
			blocks = append(blocks, c)
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			blocks = append(blocks, c)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			texts = append(texts, textAt{t: c, section: section, noLink: insideLinkOrCode(c)})
		}
		return ast.WalkContinue, nil
	})

	// Code and HTML blocks have no inline text to put an anchor before:
	// their lines' anchors go in a line of markers just before them.
	// The heading that the page's h1 replaces has its anchor there.
	title, _ := leadingTitle(n, x.titles[n.Source.ID])
	for _, b := range blocks {
		var ids []int
		if h, ok := b.(*ast.Heading); ok {
			if off := parse.NodeOffset(h, src); off >= 0 {
				if line := n.Clean.RawLine(off); mark(line) && h != title {
					ids = append(ids, line)
				}
			}
		} else if l := b.Lines(); l != nil {
			for i := 0; i < l.Len(); i++ {
				line := n.Clean.RawLine(l.At(i).Start)
				if mark(line) {
					ids = append(ids, line)
				}
			}
		}
		if fc, ok := b.(*ast.FencedCodeBlock); ok && fc.Info != nil {
			// The fence's own line, for a source that cites "```js".
			if line := n.Clean.RawLine(fc.Info.Segment.Start); mark(line) {
				ids = append([]int{line}, ids...)
			}
		}
		if len(ids) == 0 || b.Parent() == nil {
			continue
		}
		var buf bytes.Buffer
		for _, id := range ids {
			buf.WriteString(anchorHTML(id))
		}
		p := ast.NewParagraph()
		p.SetAttributeString("class", []byte("lines"))
		s := ast.NewString(buf.Bytes())
		s.SetCode(true)
		p.AppendChild(p, s)
		b.Parent().InsertBefore(b.Parent(), b, p)
		added = append(added, p)
	}

	linked := map[[2]string]bool{} // {section, entity}
	for _, ta := range texts {
		t := ta.t
		if t.Segment.Len() == 0 && !t.SoftLineBreak() {
			continue
		}
		line := n.Clean.RawLine(t.Segment.Start)
		if mark(line) {
			s := ast.NewString([]byte(anchorHTML(line)))
			s.SetCode(true)
			at := ast.Node(t)
			if p := t.Parent(); p != nil && (isLinkish(p) || p.Kind() == ast.KindCodeSpan) {
				at = p // a String inside a code span would break its renderer
			}
			at.Parent().InsertBefore(at.Parent(), at, s)
			added = append(added, s)
		}
		if ta.noLink {
			continue
		}
		cands := byLine[line]
		if len(cands) == 0 {
			continue
		}
		sec := strconv.Itoa(ta.section)
		// Link mentions left to right; the text after a link may hold the
		// next mention.
		for cur := t; cur != nil; {
			value := cur.Segment.Value(src)
			best, bestAt := -1, len(value)
			for i, m := range cands {
				if linked[[2]string{sec, m.Entity}] {
					continue
				}
				if at := findWord(value, m.Text); at >= 0 && at < bestAt {
					best, bestAt = i, at
				}
			}
			if best < 0 {
				break
			}
			m := cands[best]
			linked[[2]string{sec, m.Entity}] = true
			var link *ast.Link
			cur, link = splitLink(cur, bestAt, bestAt+len(m.Text), "../"+EntityURL(x.entity[m.Entity]), m.Entity)
			links = append(links, link)
		}
	}
	slices.Sort(lines)
	undo := func() {
		for _, a := range added {
			if p := a.Parent(); p != nil {
				p.RemoveChild(p, a)
			}
		}
		for _, l := range links {
			if p, inner := l.Parent(), l.FirstChild(); p != nil && inner != nil {
				p.ReplaceChild(p, l, inner)
			}
		}
	}
	return lines, undo
}

// mergeTexts joins text nodes that follow each other in the source: the
// parser splits a line at characters that might start markup ("Kinesis
// Data" + " Streams"), and a name must be found whole.
func mergeTexts(root ast.Node) {
	var parents []ast.Node
	_ = ast.Walk(root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.FirstChild() != nil && c.FirstChild().Type() == ast.TypeInline || entering && c.Type() == ast.TypeInline && c.HasChildren() {
			parents = append(parents, c)
		}
		return ast.WalkContinue, nil
	})
	for _, p := range parents {
		for c := p.FirstChild(); c != nil; {
			t, ok := c.(*ast.Text)
			next, ok2 := c.NextSibling().(*ast.Text)
			if ok && ok2 && !t.SoftLineBreak() && !t.HardLineBreak() && !t.IsRaw() && !next.IsRaw() &&
				t.Segment.Stop == next.Segment.Start && t.Segment.Padding == 0 && next.Segment.Padding == 0 {
				t.Segment = text.NewSegment(t.Segment.Start, next.Segment.Stop)
				t.SetSoftLineBreak(next.SoftLineBreak())
				t.SetHardLineBreak(next.HardLineBreak())
				p.RemoveChild(p, next)
				continue
			}
			c = c.NextSibling()
		}
	}
}

func anchorHTML(line int) string {
	return `<span class="ln" id="L` + strconv.Itoa(line) + `"></span>`
}

// splitLink turns the bytes [from, to) of t's text into a link to href and
// returns the text node after the link (nil when the link ends the text)
// and the link.
func splitLink(t *ast.Text, from, to int, href, entity string) (*ast.Text, *ast.Link) {
	parent := t.Parent()
	seg := t.Segment
	soft, hard := t.SoftLineBreak(), t.HardLineBreak()
	t.Segment = text.NewSegment(seg.Start, seg.Start+from)
	t.SetSoftLineBreak(false)
	t.SetHardLineBreak(false)

	link := ast.NewLink()
	link.Destination = []byte(href)
	link.SetAttributeString("class", []byte("el"))
	link.SetAttributeString("data-e", []byte(entity))
	inner := ast.NewTextSegment(text.NewSegment(seg.Start+from, seg.Start+to))
	link.AppendChild(link, inner)
	parent.InsertAfter(parent, t, link)

	after := ast.NewTextSegment(text.NewSegment(seg.Start+to, seg.Stop))
	after.SetSoftLineBreak(soft)
	after.SetHardLineBreak(hard)
	parent.InsertAfter(parent, link, after)
	if after.Segment.Len() == 0 {
		if !soft && !hard {
			parent.RemoveChild(parent, after)
		}
		return nil, link
	}
	return after, link
}

func isLinkish(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindLink, ast.KindAutoLink, ast.KindImage:
		return true
	}
	return false
}

func insideLinkOrCode(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if isLinkish(p) || p.Kind() == ast.KindCodeSpan {
			return true
		}
		if p.Type() == ast.TypeBlock {
			return false
		}
	}
	return false
}

// findWord returns where word occurs in s as a whole word (exact case
// first, else any case), or -1.
func findWord(s []byte, word string) int {
	w := []byte(word)
	for _, fold := range []bool{false, true} {
		hay, needle := s, w
		if fold {
			hay, needle = bytes.ToLower(s), bytes.ToLower(w)
			if len(hay) != len(s) {
				return -1 // lowering changed byte offsets: give up rather than mislink
			}
		}
		for from := 0; from <= len(hay)-len(needle); {
			i := bytes.Index(hay[from:], needle)
			if i < 0 {
				break
			}
			at := from + i
			if wordEdge(s, at-1, true) && wordEdge(s, at+len(needle), false) {
				return at
			}
			from = at + 1
		}
	}
	return -1
}

// wordEdge reports whether the rune at i (before or after a match) is not
// a letter or digit, so the match is a whole word.
func wordEdge(s []byte, i int, before bool) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRune(s[:i+1])
	} else {
		r, _ = utf8.DecodeRune(s[i:])
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// rawListHTML renders the raw view's list items, one per line, as the
// note template once did with a range: a 10,000-note site has millions of
// raw lines, and html/template's reflection costs several times what
// writing them here does. The escaping is html/template's for text.
func rawListHTML(lines []RawLine) template.HTML {
	var b strings.Builder
	size := 0
	for _, l := range lines {
		size += len(l.Text) + len(l.Repair) + 80
	}
	b.Grow(size)
	for _, l := range lines {
		n := strconv.Itoa(l.N)
		b.WriteString("\n<li id=\"R")
		b.WriteString(n)
		b.WriteByte('"')
		if l.Repair != "" {
			b.WriteString(` class="repaired"`)
		}
		// The line's number is the list's own (see .raw-lines li::before in
		// style.css): written out, it was a sixth of a note page.
		b.WriteString(`><code>`)
		writeEscapedText(&b, l.Text)
		b.WriteString(`</code>`)
		if l.Repair != "" {
			b.WriteString(`<span class="repair"> repaired: `)
			writeEscapedText(&b, l.Repair)
			b.WriteString(`</span>`)
		}
		b.WriteString(`</li>`)
	}
	return template.HTML(b.String())
}

// writeEscapedText writes s escaped as html/template escapes text between
// tags, so that output made here is byte for byte what a template makes.
func writeEscapedText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// RawLine is one line of a raw note, for the raw view of a note page.
type RawLine struct {
	N      int
	Text   string
	Repair string // what the cleaner changed on this line, or ""
}

// rawLines splits a raw note into lines for display, naming the repairs
// made on each.
func rawLines(n *Note) []RawLine {
	repairs := map[int][]string{}
	for _, r := range n.Clean.Repairs {
		d := r.Rule
		if r.Before != "" || r.After != "" {
			d += ": " + r.Before + " → " + r.After
			if r.After == "" {
				d = r.Rule + ": removed " + r.Before
			}
		}
		repairs[r.Line] = append(repairs[r.Line], d)
	}
	raw := n.Source.Raw
	if len(raw) > 0 && raw[len(raw)-1] == '\n' {
		raw = raw[:len(raw)-1]
	}
	var out []RawLine
	for i, l := range bytes.Split(raw, []byte("\n")) {
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, RawLine{N: i + 1, Text: strings.ToValidUTF8(string(l), "\uFFFD"), Repair: strings.Join(repairs[i+1], "; ")})
	}
	return out
}
