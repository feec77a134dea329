package clean

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The line rules follow the block structure of CommonMark just far enough
// to know, for every line, whether it is a list item, the content of one,
// code, or something else: list items are where authors lose the
// structure they meant, and code is what no rule may touch.
//
// The model is a stack of open list levels. Each level remembers where its
// current item's marker and content start twice: in the text as written
// (raw columns, after tab expansion) and in the cleaned text (out
// columns). A bullet is placed by comparing its raw column with the raw
// columns of the open levels, which is how the author saw the outline, and
// written at the out column that makes CommonMark see the same nesting.
// Blockquotes and lists inside them are not modelled: their lines pass
// through, apart from tab expansion and trailing whitespace.

// Rule names, as recorded in Repair.Rule.
const (
	RuleNesting       = "nesting"        // a bullet or its content re-indented to the nesting meant
	RuleBullet        = "bullet"         // a "•" bullet written as a list marker
	RuleDoubleMarker  = "double-marker"  // "* •" or "* * " written as one marker
	RulePackedBullets = "packed-bullets" // "• a • b" written as one item per line
	RuleMixedMarker   = "mixed-marker"   // a sibling's "-", "*" or "+" made the list's own
	RuleTrailingSpace = "trailing-space" // spaces and tabs at the end of a line
	RuleTab           = "tab"            // tabs in the indentation written as spaces
	RuleFinalNewline  = "final-newline"  // a newline added at the end of the text
)

// lineKind is what a line was, as far as the reading of the next line
// depends on it.
type lineKind int

const (
	kindBlank lineKind = iota
	kindPara           // paragraph text: the next line may continue it
	kindOther          // a heading, a thematic break, an empty item, a fence
	kindCode           // indented code
)

// srcLine is one line on its way through the cleaner, with its origin.
type srcLine struct {
	text    []byte
	rawLine int
	rawOff  int
}

// outLine is a cleaned line and what the trailing-space pass needs to know
// of it.
type outLine struct {
	srcLine
	kind     lineKind
	verbatim bool // code or HTML content: its bytes are the author's
	cont     bool // continues the paragraph of the line before
	quote    bool // a blockquote line, where laziness hides the paragraph ends
}

// level is one open list level: where its current item's marker and
// content start, as written and as cleaned, and the marker of the list.
type level struct {
	rawInd, outInd         int
	rawContent, outContent int
	marker                 byte // '-', '*' or '+'; '.' or ')' for an ordered list
}

func (l level) delta() int { return l.outContent - l.rawContent }

// liner carries the block state from one line to the next.
type liner struct {
	levels []level
	prev   lineKind
	// heading says the line before was an ATX heading, which an indented
	// bullet under it does not turn into code.
	heading bool

	// Indented code: the number of open levels when it started.
	inCode    bool
	codeDepth int

	// A fenced code or HTML block: its container and how far its lines
	// move with that container.
	inBlock    bool
	blockDepth int
	blockShift int
	fenceCh    byte   // 0 for an HTML block
	fenceN     int    // length of the opening fence
	htmlEnd    string // "" when the HTML block ends at a blank line

	out     []outLine
	repairs []Repair
}

// cleanLines applies the line rules to lines whose bytes are already
// clean, and returns the new lines with the repairs made.
func cleanLines(lines []srcLine) ([]outLine, []Repair) {
	l := &liner{prev: kindBlank}
	for _, sl := range lines {
		l.line(sl)
	}
	l.trailing()
	return l.out, l.repairs
}

func (l *liner) repair(sl srcLine, rule, before, after string) {
	l.repairs = append(l.repairs, Repair{Line: sl.rawLine, Rule: rule, Before: before, After: after})
}

func (l *liner) emit(sl srcLine, text []byte, kind lineKind) *outLine {
	l.out = append(l.out, outLine{srcLine: srcLine{text: text, rawLine: sl.rawLine, rawOff: sl.rawOff}, kind: kind})
	return &l.out[len(l.out)-1]
}

// line reads one line.
func (l *liner) line(sl srcLine) {
	s := sl.text
	col, n, _ := leading(s)
	blank := n == len(s)
	afterHeading := l.heading
	l.heading = false
	if l.inBlock && l.blockLine(sl, col, blank) {
		return
	}
	if blank {
		if l.inCode {
			// Spaces on a blank line inside indented code are content.
			l.emit(sl, s, kindBlank).verbatim = true
		} else {
			if n > 0 {
				l.repair(sl, RuleTrailingSpace, strconv.Quote(string(s)), `""`)
			}
			l.emit(sl, nil, kindBlank)
		}
		l.prev = kindBlank
		return
	}
	rest := s[n:]
	b, isBullet := parseBullet(rest, col)

	// d is how many open levels contain the line: the container it lands
	// in if it is not a list item.
	d := 0
	for d < len(l.levels) && l.levels[d].rawContent <= col {
		d++
	}
	base := 0
	if d > 0 {
		base = l.levels[d-1].rawContent
	}
	rel := col - base

	if l.inCode {
		codeBase := 0
		if l.codeDepth > 0 && l.codeDepth <= len(l.levels) {
			codeBase = l.levels[l.codeDepth-1].rawContent
		}
		if d >= l.codeDepth && col >= codeBase+4 {
			l.code(sl, col, n, l.codeDepth)
			return
		}
		l.inCode = false
	}

	// Paragraph continuation, lazy or not: the line is text of the
	// paragraph above whatever its indentation, so only tabs change.
	lazy := l.prev == kindPara && !(isBullet && (b.glyph || len(l.levels) > 0 || rel < 4)) &&
		(rel >= 4 || !blockStart(rest, d == len(l.levels)))
	if lazy {
		o := l.emit(sl, l.expandTabs(sl, s, col, n, col), kindPara)
		o.cont = true
		return
	}

	if isBullet && rel >= 4 && l.prev != kindPara && !afterHeading && (len(l.levels) == 0 || !b.glyph) {
		// Four columns past its container after a blank line or at the
		// top: indented code, as CommonMark reads it. Inside a list a "•"
		// line is never code: no one writes code that way, but pasted
		// bullets often sit deep. Nor is a bullet right under a heading:
		// that is an outline indented by tabs or four spaces.
		l.levels = l.levels[:d]
		l.code(sl, col, n, d)
		return
	}
	if isBullet {
		l.bullet(sl, col, n, b)
		return
	}

	l.levels = l.levels[:d]
	if rel >= 4 {
		l.code(sl, col, n, d)
		return
	}
	outCol := col
	if d > 0 {
		outCol = col + l.levels[d-1].delta()
	}
	text := l.expandTabs(sl, s, col, n, outCol)
	if outCol != col {
		l.repair(sl, RuleNesting, quoteExcerpt(s), quoteExcerpt(text))
	}
	kind, quote := l.open(rest, d, outCol-col, d == len(l.levels))
	o := l.emit(sl, text, kind)
	o.quote = quote
	o.verbatim = l.inBlock
	l.prev = kind
	l.heading = !l.inBlock && (isATXHeading(rest) || isHashTitle(rest))
}

// code emits a line of indented code inside the first depth levels: it
// moves with its container and is otherwise left alone.
func (l *liner) code(sl srcLine, col, n, depth int) {
	l.inCode, l.codeDepth = true, depth
	text := sl.text
	if depth > 0 && depth <= len(l.levels) {
		if shift := l.levels[depth-1].delta(); shift != 0 {
			text = l.expandTabs(sl, text, col, n, col+shift)
			l.repair(sl, RuleNesting, quoteExcerpt(sl.text), quoteExcerpt(text))
		}
	}
	l.emit(sl, text, kindCode).verbatim = true
	l.prev = kindCode
}

// blockLine handles a line while a fenced code or HTML block is open, and
// reports whether the line belonged to it.
func (l *liner) blockLine(sl srcLine, col int, blank bool) bool {
	base := 0
	if l.blockDepth > 0 && l.blockDepth <= len(l.levels) {
		base = l.levels[l.blockDepth-1].rawContent
	}
	if !blank && col < base {
		// The list item holding the block ended, and the block with it.
		l.inBlock = false
		return false
	}
	if blank && l.fenceCh == 0 && l.htmlEnd == "" {
		l.inBlock = false
		return false
	}
	s := sl.text
	_, n, _ := leading(s)
	if l.fenceCh != 0 {
		if col-base <= 3 && closesFence(s[n:], l.fenceCh, l.fenceN) {
			l.inBlock = false
		}
	} else if l.htmlEnd != "" && bytes.Contains(bytes.ToLower(s), []byte(l.htmlEnd)) {
		l.inBlock = false
	}
	text := s
	if l.blockShift != 0 && !blank {
		text = l.expandTabs(sl, s, col, n, col+l.blockShift)
		l.repair(sl, RuleNesting, quoteExcerpt(s), quoteExcerpt(text))
	}
	o := l.emit(sl, text, kindOther)
	o.verbatim = true
	l.prev = kindOther
	return true
}

// open classifies the start of a block at rest, opens a fenced code or
// HTML block if it starts one, and returns the kind of the line. shift is
// how far the line moved; sameContainer says whether a paragraph above
// would be in the same container (for a setext underline).
func (l *liner) open(rest []byte, depth, shift int, sameContainer bool) (lineKind, bool) {
	switch {
	case len(rest) == 0:
		return kindOther, false
	case isATXHeading(rest), isThematic(rest):
		return kindOther, false
	case l.prev == kindPara && sameContainer && isSetextEq(rest):
		return kindOther, false
	case rest[0] == '>':
		return kindPara, true
	}
	if ch, n, ok := openFence(rest); ok {
		l.inBlock, l.blockDepth, l.blockShift, l.fenceCh, l.fenceN, l.htmlEnd = true, depth, shift, ch, n, ""
		return kindOther, false
	}
	if end, ok := openHTML(rest); ok {
		l.inBlock, l.blockDepth, l.blockShift, l.fenceCh, l.fenceN, l.htmlEnd = true, depth, shift, 0, 0, end
		if end != "" && bytes.Contains(bytes.ToLower(rest), []byte(end)) {
			l.inBlock = false
		}
		return kindOther, false
	}
	return kindPara, false
}

// bullet places a list item: it finds the level the author meant from the
// raw indentation, writes the line at the column that gives CommonMark the
// same nesting, and repairs its marker.
func (l *liner) bullet(sl srcLine, col, n int, b bullet) {
	s := sl.text
	// The level: the deepest open level indented no deeper than the line;
	// at the same column it is a sibling, deeper it is a child.
	i := len(l.levels) - 1
	for i >= 0 && l.levels[i].rawInd > col {
		i--
	}
	k := 0
	switch {
	case i < 0:
		k = 0
	case l.levels[i].rawInd == col:
		k = i
	default:
		k = i + 1
	}
	parent := level{}
	if k > 0 {
		parent = l.levels[k-1]
	}
	sibling := k < len(l.levels)
	// The marker: a sibling takes the list's marker; a new list keeps its
	// own, and a "•" list takes the marker of the list around it.
	marker := b.marker
	sameList := sibling && (l.levels[k].marker == b.marker || !isOrdered(l.levels[k].marker) && !isOrdered(b.marker))
	switch {
	case sameList && !isOrdered(b.marker):
		marker = l.levels[k].marker
	case b.glyph:
		marker = '-'
		for j := k - 1; j >= 0; j-- {
			if !isOrdered(l.levels[j].marker) {
				marker = l.levels[j].marker
				break
			}
		}
	}

	if !b.double && !b.glyph && !b.codeContent && !isOrdered(marker) && len(b.content) > 0 && b.content[0] == marker &&
		(len(b.content) == 1 || isSpace(b.content[1])) {
		// "* -" in a "-" list would read "- -": the marker twice.
		b.double = true
		b.content = stripMarkers(b.content, marker)
	}
	var items [][]byte // the item texts after the marker, for a rebuilt line
	rebuilt := b.glyph || b.double
	switch {
	case b.packed:
		items = splitPacked(b.content)
	case rebuilt:
		items = appendItem(nil, b.content)
	}
	if !isOrdered(marker) {
		content := b.content
		if rebuilt && len(items) > 0 {
			content = items[0]
		}
		if m := chooseMarker(marker, content, rebuilt); m != 0 {
			marker = m
		} else {
			marker = b.marker // the list's marker would make a thematic break
		}
	}

	extra := col - parent.rawContent
	if extra < 0 || extra > 3 || b.glyph || b.double {
		extra = 0
	}
	out := parent.outContent + extra
	if out != col {
		// A line that moves anyway goes to its parent's content column:
		// the author's extra spaces had no meaning.
		out = parent.outContent
	}
	if sibling && out > l.levels[k].outInd {
		// Never deeper than the sibling before it, or CommonMark (and the
		// next cleaning) would read the item as that sibling's child.
		out = l.levels[k].outInd
	}

	var lines [][]byte
	var outContent int
	if rebuilt {
		for _, it := range items {
			line := make([]byte, 0, out+2+len(it))
			line = append(line, spaces(out)...)
			line = append(line, marker, ' ')
			lines = append(lines, append(line, it...))
		}
		outContent = out + 2
	} else {
		line := make([]byte, 0, out+len(s)-n)
		line = append(line, spaces(out)...)
		mark := s[n : n+b.mlen]
		after := s[n+b.mlen : len(s)-len(b.content)]
		if out != col && bytes.IndexByte(after, '\t') >= 0 && len(b.content) > 0 {
			// A tab after a marker that moves would span other columns.
			w, _, _ := leadingFrom(after, col+b.mlen)
			after = spaces(w - col - b.mlen)
		}
		line = append(line, mark...)
		if marker != b.marker {
			line[out] = marker
		}
		line = append(line, after...)
		lines = [][]byte{append(line, b.content...)}
		outContent = out + b.rawContent - col
	}

	// The repairs, one per rule, in the order they apply.
	after := []byte{}
	if len(lines) > 0 {
		_, m, _ := leading(lines[0])
		after = lines[0][m:]
	}
	switch {
	case b.glyph:
		l.repair(sl, RuleBullet, quoteExcerpt(s[n:]), quoteExcerpt(after))
	case b.double:
		l.repair(sl, RuleDoubleMarker, quoteExcerpt(s[n:]), quoteExcerpt(after))
	case marker != b.marker:
		l.repair(sl, RuleMixedMarker, quoteExcerpt(s[n:]), quoteExcerpt(after))
	}
	if len(lines) > 1 {
		l.repair(sl, RulePackedBullets, quoteExcerpt(s[n:]), strconv.Itoa(len(lines))+" items")
	}
	if out != col && len(lines) > 0 {
		l.repair(sl, RuleNesting, quoteExcerpt(s), quoteExcerpt(lines[0]))
	} else if _, _, tab := leading(s); tab {
		l.repair(sl, RuleTab, strconv.Quote(string(s[:n])), strconv.Quote(string(spaces(col))))
	}

	if len(lines) == 0 {
		// A "•" with nothing after it: a lone marker would turn the
		// paragraph above into a heading, so the line becomes blank.
		// The open levels stay as they were, as they will for the blank
		// line when the text is cleaned again.
		l.emit(sl, nil, kindBlank)
		l.prev = kindBlank
		return
	}

	lvMarker := marker
	if sameList {
		lvMarker = l.levels[k].marker
	}
	l.levels = append(l.levels[:k], level{rawInd: col, outInd: out, rawContent: b.rawContent, outContent: outContent, marker: lvMarker})
	for j, line := range lines {
		var kind lineKind
		var quote bool
		if j == len(lines)-1 {
			// The item's text, where a fence or an HTML block may open.
			var content []byte
			if rebuilt {
				content = line[outContent:]
			} else {
				content = line[len(line)-len(b.content):]
			}
			if b.codeContent {
				kind = kindOther
			} else {
				kind, quote = l.open(content, k+1, outContent-b.rawContent, false)
			}
		} else {
			kind = kindPara
		}
		o := l.emit(sl, line, kind)
		o.quote = quote
		o.verbatim = l.inBlock && j == len(lines)-1
		l.prev = kind
	}
}

// expandTabs returns s with its indentation written as outCol spaces when
// that changes it, and records a tab repair when the indentation had tabs
// but keeps its width.
func (l *liner) expandTabs(sl srcLine, s []byte, col, n, outCol int) []byte {
	_, _, tab := leading(s)
	if !tab && outCol == col {
		return s
	}
	if tab && outCol == col {
		l.repair(sl, RuleTab, strconv.Quote(string(s[:n])), strconv.Quote(string(spaces(col))))
	}
	out := make([]byte, 0, outCol+len(s)-n)
	out = append(out, spaces(outCol)...)
	return append(out, s[n:]...)
}

// trailing removes spaces and tabs at the ends of lines where CommonMark
// ignores them. It keeps them where a paragraph goes on, on the next line:
// there two spaces are a hard line break and any space can be inside a
// code span, so removing them would change what the note says.
func (l *liner) trailing() {
	for i := range l.out {
		o := &l.out[i]
		if o.verbatim || len(o.text) == 0 {
			continue
		}
		end := len(o.text)
		for end > 0 && (o.text[end-1] == ' ' || o.text[end-1] == '\t') {
			end--
		}
		if end == len(o.text) {
			continue
		}
		if i+1 < len(l.out) {
			next := &l.out[i+1]
			if next.cont || o.quote && next.kind != kindBlank {
				continue
			}
		}
		l.repairs = append(l.repairs, Repair{Line: o.rawLine, Rule: RuleTrailingSpace, Before: strconv.Quote(string(o.text[end:])), After: `""`})
		o.text = o.text[:end]
	}
}

// bullet is a list marker at the start of a line.
type bullet struct {
	marker      byte // '-', '*', '+', or '.' / ')' for an ordered item; '-' for a glyph
	mlen        int  // bytes of the marker
	glyph       bool // the line starts with "•" or a similar character
	packed      bool // a "•" starts the item, so "•" between spaces splits it
	double      bool // a marker followed by "•" or by the same marker
	content     []byte
	rawContent  int  // column of the content as CommonMark reads it
	codeContent bool // five or more spaces after the marker: the content is code
}

func isOrdered(m byte) bool { return m == '.' || m == ')' }

// parseBullet reads a list marker at the start of rest, which starts at
// column col.
func parseBullet(rest []byte, col int) (bullet, bool) {
	var b bullet
	if len(rest) == 0 || isThematic(rest) {
		return b, false
	}
	mlen := 0
	switch c := rest[0]; {
	case c == '-' || c == '*' || c == '+':
		b.marker, mlen = c, 1
	case c >= '0' && c <= '9':
		j := 0
		for j < len(rest) && j < 9 && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == len(rest) || (rest[j] != '.' && rest[j] != ')') {
			return b, false
		}
		b.marker, mlen = rest[j], j+1
	default:
		g := glyphLen(rest)
		if g == 0 {
			return b, false
		}
		b.glyph, b.packed, b.marker = true, true, '-'
		b.content = stripMarkers(rest[g:], 0)
		_, w, _ := leading(rest[g:])
		b.rawContent = col + 2
		if w >= 1 && w <= 4 {
			b.rawContent = col + 1 + w
		}
		return b, true
	}
	after := rest[mlen:]
	if len(after) > 0 && after[0] != ' ' && after[0] != '\t' {
		return b, false
	}
	b.mlen = mlen
	mcol := col + mlen
	w, n, _ := leadingFrom(after, mcol)
	switch {
	case n == len(after):
		b.rawContent = mcol + 1
	case w-mcol >= 5:
		b.rawContent, b.codeContent = mcol+1, true
		b.content = after[n:]
	default:
		b.rawContent = w
		b.content = after[n:]
	}
	if !isOrdered(b.marker) && !b.codeContent && len(b.content) > 0 {
		b.packed = glyphLen(b.content) > 0
		if b.packed || (b.content[0] == b.marker && (len(b.content) == 1 || isSpace(b.content[1]))) {
			b.double = true
			b.content = stripMarkers(b.content, b.marker)
		}
	}
	return b, true
}

// stripMarkers removes the bullet glyphs and markers that open c: after a
// "•", any of "-", "*" and "+" (m == 0); after a marker, "•" and that
// marker again. What is left is the item's text.
func stripMarkers(c []byte, m byte) []byte {
	for {
		c = bytes.TrimLeft(c, " \t")
		if g := glyphLen(c); g > 0 {
			c = c[g:]
			continue
		}
		if len(c) > 0 && (c[0] == m || m == 0 && (c[0] == '-' || c[0] == '*' || c[0] == '+')) && (len(c) == 1 || isSpace(c[1])) {
			c = c[1:]
			continue
		}
		return c
	}
}

// splitPacked splits the text of a "•" item at every further "•" that
// stands alone between spaces: a PDF's bullets pasted onto one line. A "•"
// touching a word is text. Empty items are dropped.
func splitPacked(c []byte) [][]byte {
	var items [][]byte
	start := 0
	for i := 0; i < len(c); {
		if i > 0 && isSpace(c[i-1]) {
			if g := glyphLen(c[i:]); g > 0 && (i+g == len(c) || isSpace(c[i+g])) {
				items = appendItem(items, c[start:i])
				start = i + g
				i += g
				continue
			}
		}
		_, size := utf8.DecodeRune(c[i:])
		i += size
	}
	return appendItem(items, c[start:])
}

func appendItem(items [][]byte, it []byte) [][]byte {
	it = bytes.TrimRight(stripMarkers(it, 0), " \t")
	if len(it) == 0 {
		return items
	}
	return append(items, it)
}

// chooseMarker returns the bullet marker to write before content: pref,
// unless that would make the line a thematic break ("- - -"); then another
// one when the line is rebuilt anyway, or 0.
func chooseMarker(pref byte, content []byte, rebuilt bool) byte {
	try := []byte{pref}
	if rebuilt {
		try = append(try, '-', '*', '+')
	}
	for _, m := range try {
		line := append([]byte{m, ' '}, content...)
		if !isThematic(line) {
			return m
		}
	}
	return 0
}

// glyphLen returns the length of the bullet character that starts s, or 0.
// The middle dot "·" is punctuation in prose, not a bullet.
func glyphLen(s []byte) int {
	c, size := utf8.DecodeRune(s)
	switch c {
	case '•', '◦', '▪', '●', '‣':
		return size
	}
	return 0
}

// blockStart reports whether rest, indented less than four columns in its
// container, starts a block that ends a paragraph: CommonMark's list of
// what can interrupt one, read generously (an unclosed HTML tag counts).
func blockStart(rest []byte, sameContainer bool) bool {
	if len(rest) == 0 {
		return true
	}
	if _, ok := parseBullet(rest, 0); ok {
		return true
	}
	if _, _, ok := openFence(rest); ok {
		return true
	}
	if _, ok := openHTML(rest); ok {
		return true
	}
	return isATXHeading(rest) || isThematic(rest) || rest[0] == '>' || sameContainer && isSetextEq(rest) ||
		!sameContainer && isHashTitle(rest)
}

// isHashTitle reports whether s may be a heading without a space after
// its hashes ("##Title"), which package parse reads as one when it does
// not stand in a paragraph of its own container.
func isHashTitle(s []byte) bool {
	i := 0
	for i < len(s) && s[i] == '#' {
		i++
	}
	if i < 1 || i > 6 || i == len(s) {
		return false
	}
	r, _ := utf8.DecodeRune(s[i:])
	return unicode.IsLetter(r)
}

func isATXHeading(s []byte) bool {
	i := 0
	for i < len(s) && s[i] == '#' {
		i++
	}
	return i >= 1 && i <= 6 && (i == len(s) || isSpace(s[i]))
}

// isThematic reports whether s is a thematic break: three or more of one of
// "-", "*", "_", with spaces and tabs between.
func isThematic(s []byte) bool {
	var ch byte
	n := 0
	for _, c := range s {
		switch {
		case isSpace(c):
		case (c == '-' || c == '*' || c == '_') && (ch == 0 || c == ch):
			ch = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// isSetextEq reports whether s underlines a setext heading with "=".
func isSetextEq(s []byte) bool {
	t := bytes.TrimRight(s, " \t")
	return len(t) > 0 && len(bytes.Trim(t, "=")) == 0
}

// openFence reads an opening code fence.
func openFence(s []byte) (byte, int, bool) {
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return 0, 0, false
	}
	ch := s[0]
	n := 0
	for n < len(s) && s[n] == ch {
		n++
	}
	if n < 3 || ch == '`' && bytes.IndexByte(s[n:], '`') >= 0 {
		return 0, 0, false
	}
	return ch, n, true
}

// closesFence reports whether s closes a fence of n characters ch.
func closesFence(s []byte, ch byte, n int) bool {
	i := 0
	for i < len(s) && s[i] == ch {
		i++
	}
	return i >= n && len(bytes.Trim(s[i:], " \t")) == 0
}

// openHTML reads the start of an HTML block and returns the text that ends
// it ("" for a blank line). Any tag-like start counts: treating too many
// lines as HTML only leaves them as written.
func openHTML(s []byte) (string, bool) {
	if len(s) < 2 || s[0] != '<' {
		return "", false
	}
	low := bytes.ToLower(s)
	for _, tag := range []string{"script", "pre", "style", "textarea"} {
		if bytes.HasPrefix(low[1:], []byte(tag)) {
			rest := low[1+len(tag):]
			if len(rest) == 0 || rest[0] == '>' || isSpace(rest[0]) {
				return "</" + tag + ">", true
			}
		}
	}
	switch {
	case bytes.HasPrefix(s, []byte("<!--")):
		return "-->", true
	case bytes.HasPrefix(s, []byte("<?")):
		return "?>", true
	case bytes.HasPrefix(s, []byte("<![CDATA[")):
		return "]]>", true
	case s[1] == '!' && len(s) > 2 && isLetter(s[2]):
		return ">", true
	case isLetter(s[1]), s[1] == '/' && len(s) > 2 && isLetter(s[2]):
		return "", true
	}
	return "", false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// leading returns the width in columns of the spaces and tabs that start
// s (a tab goes to the next multiple of 4), their length in bytes, and
// whether there was a tab.
func leading(s []byte) (col, n int, tab bool) {
	col, n, tab = leadingFrom(s, 0)
	return col, n, tab
}

// leadingFrom is leading for s starting at column start; it returns the
// column after the spaces.
func leadingFrom(s []byte, start int) (col, n int, tab bool) {
	col = start
	for n < len(s) {
		switch s[n] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
			tab = true
		default:
			return col, n, tab
		}
		n++
	}
	return col, n, tab
}

func spaces(n int) []byte { return bytes.Repeat([]byte{' '}, n) }

// quoteExcerpt quotes s for a repair, cut after 40 characters past its
// indentation.
func quoteExcerpt(s []byte) string {
	const max = 40
	_, i, _ := leading(s)
	if utf8.RuneCount(s[i:]) <= max {
		return strconv.Quote(string(s))
	}
	n := 0
	for n < max {
		_, size := utf8.DecodeRune(s[i:])
		i += size
		n++
	}
	return strconv.Quote(string(s[:i]) + "…")
}
