package mdext

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Attributes that the rules leave on headings. Only AttrAnnotation is
// rendered (goldmark renders data- attributes); the others are for the
// program: HTML filters drop them.
const (
	// AttrAnnotation holds the annotation cut from a heading, as written
	// ("Not in Mind Map"), as []byte.
	AttrAnnotation = "data-annotation"
	// AttrRaw holds the text.Segment of the heading's text as written,
	// annotation included, when a rule changed it.
	AttrRaw = "gen-raw"
	// AttrRule names the rule that recovered a heading, as a string; it is
	// absent on a heading that was valid CommonMark.
	AttrRule = "gen-rule"
)

// Rule names, as they appear in AttrRule.
const (
	RuleATXNoSpace  = "atx-nospace"
	RuleBanner      = "banner"
	RuleTitle       = "title"
	RuleListHeading = "list-heading"
	// RulePipeTable marks a table recovered from pasted pipe rows (on the
	// table node).
	RulePipeTable = "pipe-table"
)

// annotations are the remarks that an author appends to a heading in
// parentheses about the note itself rather than the subject. They are
// compared lowercased with runs of spaces folded. Abbreviations such as
// "(KDF)" are deliberately absent: they define a name.
var annotations = []string{
	"not in mind map",
	"not in mindmap",
	"not in the mind map",
	"wip",
	"work in progress",
	"todo",
	"to do",
	"tbd",
	"draft",
	"incomplete",
	"unfinished",
	"to review",
	"needs review",
}

// directives are the words that follow '#' in C-like source pasted as prose;
// "#include <x>" is code, not a heading.
var directives = []string{
	"include", "define", "undef", "if", "ifdef", "ifndef", "elif", "else",
	"endif", "pragma", "error", "warning", "line", "region", "endregion", "import",
}

// SplitAnnotation returns the length of s without its trailing annotation
// (and the spaces before it), and the annotation as written. It returns
// len(s) and "" when s has none, or when the annotation is all of s.
func SplitAnnotation(s []byte) (keep int, annotation string) {
	t := bytes.TrimRight(s, " \t\n")
	if len(t) < 3 || t[len(t)-1] != ')' {
		return len(s), ""
	}
	open := bytes.LastIndexByte(t, '(')
	if open < 0 {
		return len(s), ""
	}
	inner := strings.TrimSpace(string(t[open+1 : len(t)-1]))
	norm := strings.ToLower(strings.Join(strings.Fields(inner), " "))
	found := false
	for _, a := range annotations {
		if norm == a {
			found = true
			break
		}
	}
	if !found {
		return len(s), ""
	}
	keep = len(bytes.TrimRight(t[:open], " \t"))
	if keep == 0 {
		return len(s), ""
	}
	return keep, inner
}

// cutAnnotation moves a trailing annotation of the heading's last line into
// its attributes. It runs in a block parser's Close, before the heading id
// is made, so the id does not carry the remark.
func cutAnnotation(node ast.Node, src []byte) {
	lines := node.Lines()
	if lines.Len() == 0 {
		return
	}
	i := lines.Len() - 1
	last := lines.At(i)
	keep, ann := SplitAnnotation(last.Value(src))
	if ann == "" {
		return
	}
	if _, ok := node.AttributeString(AttrRaw); !ok {
		node.SetAttributeString(AttrRaw, last)
	}
	node.SetAttributeString(AttrAnnotation, []byte(ann))
	last.Stop = last.Start + keep
	lines.Set(i, last)
}

// setHeadingID gives node an id as goldmark's heading parsers do, from the
// text of its last line.
func setHeadingID(cfg parser.HeadingConfig, node ast.Node, src []byte, pc parser.Context) {
	if !cfg.AutoHeadingID {
		return
	}
	if id, ok := node.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			pc.IDs().Put(b)
		}
		return
	}
	var line []byte
	if n := node.Lines().Len(); n > 0 {
		line = value(node.Lines().At(n-1), src)
	}
	node.SetAttributeString("id", pc.IDs().Generate(line, ast.KindHeading))
}

// atxParser opens ATX headings, with or without a space after the hashes.
// The ordinary form is goldmark's, delegated; this parser adds the no-space
// form and the annotation rule, and so runs before goldmark's own.
type atxParser struct {
	parser.HeadingConfig
	inner parser.BlockParser
}

// NewATXParser returns the block parser of rule atx-nospace (and of
// annotations on ATX headings).
func NewATXParser() parser.BlockParser {
	return &atxParser{inner: parser.NewATXHeadingParser()}
}

func (b *atxParser) SetOption(name parser.OptionName, v any) {
	b.HeadingConfig.SetOption(name, v)
	if so, ok := b.inner.(parser.SetOptioner); ok {
		so.SetOption(name, v)
	}
}

func (b *atxParser) Trigger() []byte { return []byte{'#'} }

func (b *atxParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if node, state := b.inner.Open(parent, reader, pc); node != nil {
		return node, state
	}
	// A '#' word inside a paragraph is prose: only the start of a block may
	// be a no-space heading. A paragraph of a list item that the line is
	// not indented into does not count: an outline's "##Title" under its
	// last bullet ends the list, as "## Title" does.
	if last := pc.LastOpenedBlock().Node; last != nil && ast.IsParagraph(last) && last.Parent() == parent {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	i := pos
	for i < len(line) && line[i] == '#' {
		i++
	}
	level := i - pos
	if level == 0 || level > 6 || !noSpaceTitle(line[i:]) {
		return nil, parser.NoChildren
	}
	src := reader.Source()
	hl := trimRight(text.NewSegment(seg.Start+i-seg.Padding, seg.Start+len(line)-seg.Padding), src)
	// A closing sequence, as in "#Title ##", is dropped as CommonMark does.
	v := hl.Value(src)
	j := len(v)
	for j > 0 && v[j-1] == '#' {
		j--
	}
	if j < len(v) && j > 0 && (v[j-1] == ' ' || v[j-1] == '\t') {
		hl.Stop = hl.Start + len(bytes.TrimRight(v[:j], " \t"))
	}
	node := ast.NewHeading(level)
	node.Lines().Append(hl)
	node.SetAttributeString(AttrRule, RuleATXNoSpace)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

// noSpaceTitle reports whether rest, the line after "#", reads as a title.
func noSpaceTitle(rest []byte) bool {
	r, _ := utf8.DecodeRune(rest)
	if !unicode.IsLetter(r) {
		return false
	}
	words := strings.Fields(string(rest))
	if len(words) == 0 {
		return false
	}
	first := strings.ToLower(strings.TrimRightFunc(words[0], func(r rune) bool { return !unicode.IsLetter(r) }))
	for _, d := range directives {
		if first == d {
			return false
		}
	}
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "#") && strings.Trim(w, "#") != "" {
			return false // a list of tags, or prose about them
		}
	}
	return unicode.IsUpper(r) || len(words) >= 2
}

func (b *atxParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.Close
}

func (b *atxParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	cutAnnotation(node, reader.Source())
	b.inner.Close(node, reader, pc)
}

func (b *atxParser) CanInterruptParagraph() bool { return true }

func (b *atxParser) CanAcceptIndentedLine() bool { return false }

// bannerParser opens "=== STORAGE ===" as a level-1 heading.
type bannerParser struct {
	parser.HeadingConfig
}

// NewBannerParser returns the block parser of rule banner.
func NewBannerParser() parser.BlockParser {
	return &bannerParser{}
}

func (b *bannerParser) Trigger() []byte { return []byte{'='} }

// bannerText returns the offsets of the title inside a banner line, or
// ok=false when line is not "=== X ===" (three or more '=' on each side).
func bannerText(line []byte) (start, stop int, ok bool) {
	t := bytes.TrimRight(line, " \t\n")
	i := 0
	for i < len(t) && t[i] == '=' {
		i++
	}
	j := len(t)
	for j > i && t[j-1] == '=' {
		j--
	}
	if i < 3 || len(t)-j < 3 || j <= i {
		return 0, 0, false
	}
	for i < j && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	for j > i && (t[j-1] == ' ' || t[j-1] == '\t') {
		j--
	}
	if j <= i {
		return 0, 0, false
	}
	return i, j, true
}

func (b *bannerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	start, stop, ok := bannerText(line[pos:])
	if !ok {
		return nil, parser.NoChildren
	}
	base := seg.Start + pos - seg.Padding
	node := ast.NewHeading(1)
	node.Lines().Append(text.NewSegment(base+start, base+stop))
	node.SetAttributeString(AttrRule, RuleBanner)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (b *bannerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.Close
}

func (b *bannerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	cutAnnotation(node, reader.Source())
	setHeadingID(b.HeadingConfig, node, reader.Source(), pc)
}

func (b *bannerParser) CanInterruptParagraph() bool { return true }

func (b *bannerParser) CanAcceptIndentedLine() bool { return false }

// titleParser opens a short bare line that is directly followed by a bullet
// as a level-2 heading, in plaintext outlines.
type titleParser struct {
	parser.HeadingConfig
}

// NewTitleParser returns the block parser of rule title.
func NewTitleParser() parser.BlockParser {
	return &titleParser{}
}

func (b *titleParser) Trigger() []byte { return nil }

// Limits of a title line: longer lines are sentences.
const (
	titleMaxBytes = 60
	titleMaxWords = 8
)

// danglers are the words that leave a line unfinished: a line after one of
// them continues the sentence ("... stand replica in a" / "different AZ").
var danglers = []string{
	"a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "with",
	"by", "and", "or", "but", "as", "into", "than", "that", "which",
}

// isTitle reports whether line (no newline) can be a title by itself. A
// lowercase start continues a sentence, unless caseless: in a note written
// without capitals, case says nothing.
func isTitle(line []byte, caseless bool) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || len(t) > titleMaxBytes || len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
		return false
	}
	if bulletLine(t) || bytes.ContainsRune(t, '|') {
		return false
	}
	r, _ := utf8.DecodeRune(t)
	if unicode.IsLower(r) && !caseless || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false // a lowercase start continues a sentence
	}
	switch t[len(t)-1] {
	case '.', ':', ',', ';', '!', '?', '-':
		return false
	}
	return len(bytes.Fields(t)) <= titleMaxWords
}

// bulletLine reports whether t starts with a bullet marker and a space.
func bulletLine(t []byte) bool {
	for _, m := range []string{"- ", "* ", "+ ", "• "} {
		if bytes.HasPrefix(t, []byte(m)) {
			return true
		}
	}
	return false
}

// continues reports whether prev, the line before a candidate title, is a
// bullet left unfinished, so that the candidate is the rest of it.
func continues(prev []byte) bool {
	t := bytes.TrimSpace(prev)
	if len(t) == 0 {
		return false
	}
	switch t[len(t)-1] {
	case ',', '-', '(', '/', '&':
		return true
	}
	if bytes.HasSuffix(t, []byte("–")) || bytes.HasSuffix(t, []byte("—")) {
		return true
	}
	f := bytes.Fields(t)
	last := strings.ToLower(string(f[len(f)-1]))
	for _, d := range danglers {
		if last == d {
			return true
		}
	}
	return false
}

func (b *titleParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	src := reader.Source()
	if seg.Padding != 0 || !isTitle(bytes.TrimRight(line, "\n"), caseless(src, pc)) {
		return nil, parser.NoChildren
	}
	if continues(prevLine(src, seg.Start)) {
		return nil, parser.NoChildren
	}
	if !bulletLine(nextLine(reader)) {
		return nil, parser.NoChildren
	}
	node := ast.NewHeading(2)
	node.Lines().Append(trim(seg, src))
	node.SetAttributeString(AttrRule, RuleTitle)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

// caselessKey holds, per document, whether it has no capital letter.
var caselessKey = parser.NewContextKey()

// caseless reports whether src, the document being parsed, has no capital
// letter, once per document.
func caseless(src []byte, pc parser.Context) bool {
	if v, ok := pc.Get(caselessKey).(bool); ok {
		return v
	}
	v := bytes.IndexFunc(src, unicode.IsUpper) < 0
	pc.Set(caselessKey, v)
	return v
}

// prevLine returns the line of src before the one starting at off.
func prevLine(src []byte, off int) []byte {
	if off <= 0 || off > len(src) {
		return nil
	}
	end := off - 1 // the '\n' ending the previous line
	start := bytes.LastIndexByte(src[:end], '\n') + 1
	return src[start:end]
}

// nextLine peeks at the line after the current one and puts the reader
// back: the title rule needs one line of lookahead, as a setext underline
// does from the other side.
func nextLine(reader text.Reader) []byte {
	l, pos := reader.Position()
	defer reader.SetPosition(l, pos)
	reader.AdvanceLine()
	next, _ := reader.PeekLine()
	return util.TrimLeftSpace(next)
}

func (b *titleParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.Close
}

func (b *titleParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	cutAnnotation(node, reader.Source())
	setHeadingID(b.HeadingConfig, node, reader.Source(), pc)
}

func (b *titleParser) CanInterruptParagraph() bool { return true }

func (b *titleParser) CanAcceptIndentedLine() bool { return false }
