// Package parse turns cleaned note text into a goldmark AST. One Parser is
// configured once, with GFM and code highlighting, and reused for every note;
// goldmark parsers are safe for concurrent use.
package parse

import (
	"bytes"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Parser parses and renders notes.
type Parser struct {
	md goldmark.Markdown
}

// New returns a Parser with GFM (tables, strikethrough, autolinks, task
// lists), automatic heading ids and chroma highlighting of fenced code with
// CSS classes (the palettes live in one stylesheet, see [CSS]).
func New() *Parser {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			highlighting.NewHighlighting(
				highlighting.WithFormatOptions(html.WithClasses(true)),
				highlighting.WithGuessLanguage(false),
			),
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	return &Parser{md: md}
}

// Doc is a parsed note.
type Doc struct {
	Root   ast.Node
	Source []byte
}

// Parse parses src, which must stay unchanged while the Doc is used.
func (p *Parser) Parse(src []byte) *Doc {
	ctx := parser.NewContext()
	root := p.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	return &Doc{Root: root, Source: src}
}

// Render writes the HTML of doc to w. Raw HTML in notes is never passed
// through: goldmark's default renderer replaces it with a comment.
func (p *Parser) Render(w io.Writer, doc *Doc) error {
	return p.md.Renderer().Render(w, doc.Source, doc.Root)
}

// Heading is one heading of a note.
type Heading struct {
	Level  int
	Text   string // plain text
	ID     string // the anchor id goldmark gave it
	Offset int    // byte offset in the parsed source of the heading's first line
}

// Headings lists the headings of doc in document order.
func Headings(doc *Doc) []Heading {
	var hs []Heading
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			return ast.WalkContinue, nil
		}
		id := ""
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				id = string(b)
			}
		}
		hs = append(hs, Heading{Level: h.Level, Text: PlainText(h, doc.Source), ID: id, Offset: NodeOffset(h, doc.Source)})
		return ast.WalkSkipChildren, nil
	})
	return hs
}

// PlainText returns the text of n and its descendants, without markup.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tt, ok := t.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// NodeOffset returns the byte offset in src where n starts: the start of its
// first line for a block, of its first text segment for an inline. It is -1
// for a node that holds no text at all.
func NodeOffset(n ast.Node, src []byte) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return lineStart(src, l.At(0).Start)
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if o := NodeOffset(c, src); o >= 0 {
			return o
		}
	}
	return -1
}

func lineStart(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.LastIndexByte(src[:off], '\n') + 1
}
