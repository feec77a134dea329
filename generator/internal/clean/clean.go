// Package clean repairs what a markdown parser cannot: the bytes and lines
// of a raw note. It never fails and never loses track of where a byte came
// from: every line of the cleaned text maps back to a line of the raw file.
//
// # Bytes
//
// A byte order mark is dropped; CRLF becomes LF; invalid UTF-8 becomes
// U+FFFD; control and zero-width characters are dropped; a missing final
// newline is added.
//
// # Lines
//
// The line rules need the block structure of the note, which goldmark's
// extension points see only after the fact: a list item indented one space
// under another is a sibling to CommonMark before any extension runs. So
// Clean follows the blocks itself (lists, indented and fenced code, HTML
// blocks, paragraphs) and repairs, outside code and HTML:
//
//   - nesting: a bullet indented deeper than the bullet above, by any
//     amount, is its child (" * KDF" under "* Near Real Time"); it and its
//     content are moved to the parent's content column. A shallower bullet
//     returns to the open level it is not deeper than. Indented code (four
//     columns past the container, after a blank line or at the top) is not
//     a bullet; a bullet right under a heading is one however deep it sits,
//     as in an outline indented by tabs.
//   - bullet: a line starting with "•" (or ◦ ▪ ● ‣) is a list item. Its
//     marker is the list's marker, or the marker of the list around it, or
//     "-".
//   - double-marker: "* •", "- •" and "* * " are one marker.
//   - packed-bullets: "• a • b" is two items, one per line, each line mapped
//     to the same raw line. Only a "•" between spaces on a line that starts
//     with a "•" splits; a "•" in running text, and the middle dot "·", stay.
//   - mixed-marker: a sibling written with another of "-", "*", "+" takes the
//     marker of the list's first item, so that the list stays one list.
//   - tab: tabs in a line's indentation become spaces (to the next multiple
//     of 4); code keeps its tabs unless its container moves.
//   - trailing-space: spaces and tabs are dropped at the end of a line where
//     CommonMark ignores them: on blank lines and at the end of a block. They
//     are kept where the paragraph goes on, on the next line, because there
//     two spaces make a hard line break and a space may be inside a code
//     span: removing them would change the rendered note.
//
// Clean is idempotent: cleaning its own output changes nothing. Repairs of
// structure that goldmark can express (headings without a space, "=== X
// ===" headers, pasted tables) belong in package parse's extensions.
package clean

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Result is a cleaned note.
type Result struct {
	// Text is the cleaned text: valid UTF-8, "\n" line endings, ending in a
	// newline unless empty.
	Text []byte
	// Lines maps each line of Text, in order, back to the raw file.
	Lines []Line
	// Repairs lists every change made, in raw line order.
	Repairs []Repair
	// Format names the input form the note was written in: "markdown",
	// "hexo" (markdown with front matter) or "plaintext" (an outline with
	// "=== X ===" headers and bare title lines). Package parse reads it to
	// decide which lenient rules apply.
	Format string
}

// Formats of notes.
const (
	FormatMarkdown  = "markdown"
	FormatHexo      = "hexo"
	FormatPlaintext = "plaintext"
)

// Line maps one line of the cleaned text to its source.
type Line struct {
	Off     int // byte offset of the line in Result.Text
	RawLine int // 1-based line of the raw file it came from
	RawOff  int // byte offset in the raw file of that line's start
}

// Repair is one change the cleaner made.
type Repair struct {
	Line   int    // 1-based raw line
	Rule   string // name of the rule, such as "crlf" or "utf8"
	Before string // the raw text (quoted where it is invisible)
	After  string
}

// Options says what Clean knows of the note besides its body.
type Options struct {
	FirstLine   int  // 1-based raw line of the body's first byte (after front matter)
	FirstOff    int  // raw byte offset of the body's first byte
	FrontMatter bool // the note had front matter
}

// maxPasses bounds the runs of the line rules over their own output; in
// practice the second run changes nothing, or the third.
const maxPasses = 8

// Clean repairs raw, a note body whose first byte is at line firstLine and
// byte offset firstOff of the raw file.
func Clean(raw []byte, opts Options) *Result {
	firstLine, firstOff := opts.FirstLine, opts.FirstOff
	r := &Result{Text: make([]byte, 0, len(raw)+1)}
	if firstLine < 1 {
		firstLine = 1
	}
	rest := raw
	off := 0
	if bytes.HasPrefix(rest, []byte("\xef\xbb\xbf")) {
		r.Repairs = append(r.Repairs, Repair{Line: firstLine, Rule: "bom", Before: "U+FEFF", After: ""})
		rest = rest[3:]
		off = 3
	}
	lineNo := firstLine
	crlf := 0
	var lines []srcLine
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var line []byte
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		start := off
		off += len(line) + 1
		if bytes.HasSuffix(line, []byte("\r")) {
			line = line[:len(line)-1]
			crlf++
		}
		lines = append(lines, srcLine{text: r.fixChars(line, lineNo), rawLine: lineNo, rawOff: firstOff + start})
		lineNo++
	}
	if crlf > 0 {
		// One repair per note, not per line: a CRLF file is one decision.
		r.Repairs = append(r.Repairs, Repair{Line: firstLine, Rule: "crlf", Before: "\\r\\n", After: "\\n"})
	}
	if n := len(raw); n > 0 && raw[n-1] != '\n' && len(lines) > 0 {
		r.Repairs = append(r.Repairs, Repair{Line: lines[len(lines)-1].rawLine, Rule: RuleFinalNewline, Before: "end of file", After: "\\n"})
	}
	// A repair can change how a later line reads: an item moved left may
	// now hold a line that was code beside it. So the line rules run again
	// on their own output until it stands still, which makes Clean
	// idempotent; the lines keep their raw origin through every pass.
	out, repairs := cleanLines(lines)
	r.Repairs = append(r.Repairs, repairs...)
	for pass := 1; pass < maxPasses && len(repairs) > 0; pass++ {
		lines = lines[:0]
		for _, o := range out {
			lines = append(lines, o.srcLine)
		}
		out, repairs = cleanLines(lines)
		r.Repairs = append(r.Repairs, repairs...)
	}
	for _, o := range out {
		r.Lines = append(r.Lines, Line{Off: len(r.Text), RawLine: o.rawLine, RawOff: o.rawOff})
		r.Text = append(r.Text, o.text...)
		r.Text = append(r.Text, '\n')
	}
	r.Format = detectFormat(r.Text, opts.FrontMatter)
	sort.SliceStable(r.Repairs, func(i, j int) bool { return r.Repairs[i].Line < r.Repairs[j].Line })
	return r
}

// fixChars replaces invalid UTF-8 with U+FFFD and drops zero-width and
// control characters (other than tab), recording each change.
func (r *Result) fixChars(line []byte, lineNo int) []byte {
	clean := true
	for i := 0; i < len(line); {
		c, size := utf8.DecodeRune(line[i:])
		if (c == utf8.RuneError && size == 1) || dropRune(c) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return line
	}
	out := make([]byte, 0, len(line))
	for i := 0; i < len(line); {
		c, size := utf8.DecodeRune(line[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			r.Repairs = append(r.Repairs, Repair{Line: lineNo, Rule: "utf8", Before: quoteByte(line[i]), After: "U+FFFD"})
			out = utf8.AppendRune(out, utf8.RuneError)
		case dropRune(c):
			r.Repairs = append(r.Repairs, Repair{Line: lineNo, Rule: "invisible", Before: quoteRune(c), After: ""})
		default:
			out = append(out, line[i:i+size]...)
		}
		i += size
	}
	return out
}

// dropRune reports whether c is a character that has no place in a note:
// C0 and C1 controls other than tab, and zero-width characters that make
// two equal-looking words differ.
func dropRune(c rune) bool {
	switch {
	case c == '\t':
		return false
	case c < 0x20, c == 0x7f, c >= 0x80 && c < 0xa0:
		return true
	case c == 0x200b, c == 0x200c, c == 0x200d, c == 0x2060, c == 0xfeff, c == 0x00ad:
		return true
	}
	return false
}

func quoteByte(b byte) string {
	const hex = "0123456789ABCDEF"
	return "\\x" + string([]byte{hex[b>>4], hex[b&15]})
}

func quoteRune(c rune) string {
	const hex = "0123456789ABCDEF"
	s := []byte("U+")
	v := uint32(c)
	digits := []byte{}
	for v > 0 || len(digits) < 4 {
		digits = append([]byte{hex[v&15]}, digits...)
		v >>= 4
	}
	return string(append(s, digits...))
}

// RawLine returns the raw line of the byte at offset off of the cleaned
// text.
func (r *Result) RawLine(off int) int {
	if len(r.Lines) == 0 {
		return 0
	}
	i := sort.Search(len(r.Lines), func(i int) bool { return r.Lines[i].Off > off }) - 1
	if i < 0 {
		i = 0
	}
	return r.Lines[i].RawLine
}

// detectFormat names the form of a note from its cleaned text: front
// matter makes it hexo; "=== X ===" header lines without any markdown
// heading make it plaintext; anything else is markdown.
func detectFormat(text []byte, front bool) string {
	if front {
		return FormatHexo
	}
	eqHeaders, mdHeadings := 0, 0
	for _, line := range bytes.Split(text, []byte("\n")) {
		t := bytes.TrimSpace(line)
		switch {
		case len(t) > 6 && bytes.HasPrefix(t, []byte("===")) && bytes.HasSuffix(t, []byte("===")):
			eqHeaders++
		case len(t) > 1 && t[0] == '#' && len(line) > 0 && line[0] == '#':
			mdHeadings++
		}
	}
	if eqHeaders > 0 && mdHeadings == 0 {
		return FormatPlaintext
	}
	return FormatMarkdown
}
